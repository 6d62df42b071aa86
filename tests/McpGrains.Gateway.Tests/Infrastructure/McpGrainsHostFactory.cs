using System.Net.Http.Headers;
using McpGrains.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace McpGrains.Gateway.Tests.Infrastructure;

/// <summary>
/// The real host (co-hosted silo with the grains, gateway) in memory, configured from <see cref="TestConfiguration"/>
/// and on free Orleans ports so that test runs never collide with each other or with a running host.
/// </summary>
public sealed class McpGrainsHostFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public McpGrainsHostFactory()
        : this(_ => { })
    {
    }

    public McpGrainsHostFactory(Action<Dictionary<string, string?>> configure)
    {
        _settings = TestConfiguration.Create();
        _settings["McpGrains:Orleans:SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _settings["McpGrains:Orleans:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        configure(_settings);
    }

    /// <summary>Every log line the host wrote.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public HttpClient CreateClient(string? hostAppKey)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (hostAppKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", hostAppKey);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development where possible: the development settings (dev key, dev host app) must not leak into tests. A
        // host with AllowInsecureLoopback (loopback upstreams) must be Development: the host refuses it elsewhere.
        var insecure = string.Equals(_settings.GetValueOrDefault("McpGrains:Security:AllowInsecureLoopback"), "true", StringComparison.OrdinalIgnoreCase);
        builder.UseEnvironment(insecure ? "Development" : "Testing");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}
