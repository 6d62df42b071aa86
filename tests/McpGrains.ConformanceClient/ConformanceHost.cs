using System.Net;
using System.Security.Cryptography;
using McpGrains.Gateway;
using McpGrains.Grains;
using McpGrains.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace McpGrains.ConformanceClient;

/// <summary>
/// McpGrains as it runs in production, in one process: a silo (localhost clustering, in-memory storage, free ports)
/// and the real gateway front end on Kestrel, whose <c>/oauth/callback</c> is the redirect URI.
/// </summary>
public sealed class ConformanceHost : IAsyncDisposable
{
    public const string TenantId = "conformance";
    public const string ServerId = "target";

    private readonly WebApplication _app;

    private ConformanceHost(WebApplication app, Uri publicBaseUrl, ConformanceContext context)
    {
        _app = app;
        PublicBaseUrl = publicBaseUrl;
        Context = context;
    }

    public Uri PublicBaseUrl { get; }

    public ConformanceContext Context { get; }

    public Uri CallbackUrl => new(PublicBaseUrl, "/oauth/callback");

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Starts the host on free ports; retries with new ports when one was taken in the meantime (the suite starts a
    /// whole run's clients at once).
    /// </summary>
    public static async Task<ConformanceHost> StartAsync(Uri serverUrl, ConformanceContext context, LogLevel logLevel, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(serverUrl, context, logLevel, cancellationToken);
            }
            catch (Exception ex) when (attempt < 3 && IsAddressInUse(ex))
            {
                Console.Error.WriteLine($"McpGrains.ConformanceClient: a port was taken, starting again ({attempt}).");
            }
        }
    }

    private static bool IsAddressInUse(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
                || current.GetType().Name == "AddressInUseException"
                || current.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return ex is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse);
    }

    private static async Task<ConformanceHost> StartOnceAsync(Uri serverUrl, ConformanceContext context, LogLevel logLevel, CancellationToken cancellationToken)
    {
        var ports = FreePorts.Take(3);
        var (httpPort, siloPort, gatewayPort) = (ports[0], ports[1], ports[2]);
        var publicBaseUrl = new Uri($"http://127.0.0.1:{httpPort}");

        var settings = new Dictionary<string, string?>
        {
            ["McpGrains:PublicBaseUrl"] = publicBaseUrl.ToString().TrimEnd('/'),
            ["McpGrains:Security:AllowInsecureLoopback"] = "true",
            ["McpGrains:Security:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["McpGrains:Security:ActiveKeyId"] = "k1",
            [$"McpGrains:HostApps:{TenantId}:ApiKey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            [$"McpGrains:Servers:{ServerId}:Url"] = serverUrl.ToString(),
            // The suite starts every scenario of a run at once, one silo process each: on a 2-core machine a probe or
            // a token request can wait many seconds for a core. Generous budgets keep a slow machine from failing a
            // scenario that a fast one passes (the suite's own per-scenario timeout still bounds the run).
            ["McpGrains:Upstream:ConnectTimeout"] = "00:01:00",
            ["McpGrains:Upstream:RequestTimeout"] = "00:02:00",
        };
        if (context.ProtocolVersion is { Length: > 0 } version)
        {
            // The suite names the wire revision of its run; an operator may pin it the same way per server.
            settings[$"McpGrains:Servers:{ServerId}:ProtocolVersion"] = version;
        }

        // The suite's authorization servers know McpGrains by this client ID metadata document URL (they cannot
        // fetch ours from a loopback address); used wherever an authorization server advertises CIMD support.
        settings["McpGrains:Authorization:ClientMetadataDocumentUrl"] = "https://conformance-test.local/client-metadata.json";

        if (!string.IsNullOrEmpty(context.ClientId))
        {
            settings[$"McpGrains:Servers:{ServerId}:OAuth:ClientId"] = context.ClientId;
            if (!string.IsNullOrEmpty(context.ClientSecret))
            {
                settings[$"McpGrains:Servers:{ServerId}:OAuth:ClientSecret"] = context.ClientSecret;
            }
        }

        AddGrantSettings(settings, context);

        // Loopback upstreams need AllowInsecureLoopback, a development setting that the host refuses elsewhere.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, httpPort));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            silo.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = "conformance-" + httpPort;
                cluster.ServiceId = "conformance";
            });
            silo.AddMemoryGrainStorage(McpGrainsStorage.Name);
            silo.UseInMemoryReminderService();
            silo.AddMemoryGrainStorage(McpGrainsStorage.KeysName);
            silo.UseInMemoryReminderService();
            silo.Services.AddMcpGrainsSilo();
            silo.Services.Configure<OAuthHttpOptions>(http => http.Timeout = TimeSpan.FromSeconds(60));
            silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromMinutes(3));
        });
        builder.Services.AddMcpGrainsGateway();

        var app = builder.Build();
        app.UseMcpGrainsGateway();
        app.MapMcpGrainsGateway();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ConformanceHost(app, publicBaseUrl, context);
    }

    /// <summary>
    /// The grant a scenario's context asks for, configured as an operator would: client credentials (a secret or a
    /// private key), a workload identity JWT, or enterprise-managed authorization through the host app's identity provider.
    /// </summary>
    private static void AddGrantSettings(Dictionary<string, string?> settings, ConformanceContext context)
    {
        var oauth = $"McpGrains:Servers:{ServerId}:OAuth";
        switch (context.Scenario)
        {
            case "auth/client-credentials-basic":
                settings[$"{oauth}:GrantType"] = "client_credentials";
                break;
            case "auth/client-credentials-jwt":
                settings[$"{oauth}:GrantType"] = "client_credentials";
                settings[$"{oauth}:PrivateKey"] = context.Get("private_key_pem");
                settings[$"{oauth}:SigningAlgorithm"] = context.Get("signing_algorithm");
                break;
            case "auth/wif-jwt-bearer":
                settings[$"{oauth}:GrantType"] = "jwt_bearer";
                settings[$"{oauth}:Assertion"] = context.Get("valid_jwt");
                break;
            case "auth/enterprise-managed-authorization":
                settings[$"{oauth}:GrantType"] = "identity_assertion";
                settings[$"McpGrains:HostApps:{TenantId}:IdentityProvider:TokenEndpoint"] = context.Get("idp_token_endpoint");
                settings[$"McpGrains:HostApps:{TenantId}:IdentityProvider:ClientId"] = context.Get("idp_client_id");
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutting down at the end of a scenario: a slow silo stop must not change the exit code.
        }

        await _app.DisposeAsync();
    }
}
