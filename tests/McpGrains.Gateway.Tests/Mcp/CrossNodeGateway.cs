using System.Security.Cryptography;
using McpGrains.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>
/// A 2-silo test cluster and front ends apart from it: the real gateway on Kestrel each, reaching the grains only
/// through the cluster client, as front-end nodes of a real deployment do. One host app (<see cref="HostKey"/>) and one
/// upstream server.
/// </summary>
public sealed class CrossNodeGateway : IAsyncDisposable
{
    public const string HostApp = "cross";
    public const string HostKey = "cross-node-key-0123456789abcdef";

    private readonly List<WebApplication> _frontEnds = [];

    private CrossNodeGateway(TestCluster cluster)
    {
        Cluster = cluster;
    }

    public TestCluster Cluster { get; }

    /// <summary>Where each front end listens.</summary>
    public List<Uri> FrontEnds { get; } = [];

    public static async Task<CrossNodeGateway> StartAsync(string serverId, Uri upstream, int frontEnds = 1, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["McpGrains:PublicBaseUrl"] = McpEndpointFixture.PublicBaseUrl,
            ["McpGrains:Security:AllowInsecureLoopback"] = "true",
            ["McpGrains:Security:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["McpGrains:Security:ActiveKeyId"] = "k1",
            [$"McpGrains:HostApps:{HostApp}:ApiKey"] = HostKey,
            [$"McpGrains:Servers:{serverId}:Url"] = upstream.ToString(),
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = new TestClusterBuilder(2);
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.AddSiloBuilderConfigurator<CrossNodeSiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var gateway = new CrossNodeGateway(cluster);
        for (var i = 0; i < frontEnds; i++)
        {
            // Production, as before: the development settings file in the content root must not add its host app and keys.
            var web = LoopbackWebHost.CreateBuilder("Production");
            web.Configuration.AddInMemoryCollection(settings);
            web.Services.AddSingleton<IClusterClient>(cluster.Client);
            web.Services.AddSingleton<IGrainFactory>(cluster.Client);
            web.Services.AddMcpGrainsGateway();
            var frontEnd = web.Build();
            frontEnd.UseMcpGrainsGateway();
            frontEnd.MapMcpGrainsGateway();
            var address = await LoopbackWebHost.StartAsync(frontEnd, CancellationToken.None);
            gateway._frontEnds.Add(frontEnd);
            gateway.FrontEnds.Add(address);
        }

        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var frontEnd in _frontEnds)
        {
            await frontEnd.StopAsync();
            await frontEnd.DisposeAsync();
        }

        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
