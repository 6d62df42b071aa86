using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using McpGrains.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;

namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// The real McpGrains host (silo and front end in one process, as `dotnet run` starts it) on a loopback Kestrel port,
/// in the bench's process so that its managed heap can be measured. Logging as shipped (the host's appsettings.json),
/// counted by <see cref="Logs"/> instead of written.
/// </summary>
public sealed class GatewayHost : WebApplicationFactory<Program>
{
    public const string HostApp = "bench";
    public const string HostKey = "bench-host-key-0123456789abcdef";
    public const string PublicBaseUrl = "http://127.0.0.1:5999";
    public const string OpenServer = "open";
    public const string ProtectedServer = "protected";

    private static readonly string EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly Dictionary<string, string?> _settings;

    public GatewayHost(Uri openServer, Uri? protectedServer, string? postgresConnectionString, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["McpGrains:PublicBaseUrl"] = PublicBaseUrl,
            ["McpGrains:Security:AllowInsecureLoopback"] = "true",
            ["McpGrains:Security:Keys:k1"] = EncryptionKey,
            ["McpGrains:Security:ActiveKeyId"] = "k1",
            [$"McpGrains:HostApps:{HostApp}:ApiKey"] = HostKey,
            [$"McpGrains:Servers:{OpenServer}:Url"] = openServer.ToString(),
            [$"McpGrains:Servers:{OpenServer}:Transport"] = "streamable-http",
            ["McpGrains:Orleans:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["McpGrains:Orleans:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            // The bench is the load: McpGrains' own limits would measure themselves, not the proxy.
            ["McpGrains:Limits:CallsPerMinutePerHostApp"] = "1000000000",
            ["McpGrains:Limits:CallsPerMinutePerUser"] = "1000000000",
            ["McpGrains:Limits:AuthorizationsPerHourPerUser"] = "1000000000",
            ["McpGrains:Limits:MaxDownstreamSessionsPerHostApp"] = "1000000",
            ["McpGrains:Limits:MaxDownstreamSessionsPerUser"] = "1000000",
        };
        if (protectedServer is not null)
        {
            _settings[$"McpGrains:Servers:{ProtectedServer}:Url"] = protectedServer.ToString();
            _settings[$"McpGrains:Servers:{ProtectedServer}:Transport"] = "streamable-http";
        }

        if (postgresConnectionString is not null)
        {
            _settings["McpGrains:Postgres:ConnectionString"] = postgresConnectionString;
        }

        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        // WebApplicationFactory looks for the content root next to the solution; point it at the host's project folder.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_MCPGRAINS_HOST", Path.Combine(McpGrains.Testing.NodeTools.RepositoryRoot, "src", "McpGrains.Host"));
        UseKestrel(0);
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the host logged, with its shipped logging settings.</summary>
    public LogVolume Logs { get; } = new();

    public Uri CallbackPrefix { get; } = new(PublicBaseUrl + "/oauth/callback");

    /// <summary>The co-hosted silo's grain factory (diagnostic variants call the session grain without HTTP).</summary>
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public static async Task<GatewayHost> StartAsync(Uri openServer, Uri? protectedServer, string? postgresConnectionString, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var host = new GatewayHost(openServer, protectedServer, postgresConnectionString, extraSettings);
        // Program.cs reads some keys (the PostgreSQL connection string) while building, before WebApplicationFactory's
        // configuration callbacks apply: hand every setting over as environment variables for the start.
        foreach (var (key, value) in host._settings)
        {
            Environment.SetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal), value);
        }

        try
        {
            host.StartServer();
        }
        finally
        {
            foreach (var key in host._settings.Keys)
            {
                Environment.SetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal), null);
            }
        }

        var addresses = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel did not report its address.");
        host.BaseAddress = new Uri(addresses.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        await Task.CompletedTask;
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Loopback upstreams need AllowInsecureLoopback, a development setting that the host refuses elsewhere; the
        // logging settings are the shipped ones (appsettings.json, not appsettings.Development.json).
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration((context, configuration) => configuration
            .AddInMemoryCollection(_settings)
            .AddInMemoryCollection(McpGrains.Testing.ShippedLogging.Settings(context.HostingEnvironment.ContentRootPath, "Production")));
        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs));
    }

}
