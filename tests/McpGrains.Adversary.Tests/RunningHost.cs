using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using McpGrains.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// The real host (silo and front end in one process, as <c>dotnet run</c> starts it) listening on a real loopback
/// port: every request of an adversary test crosses Kestrel, as it would in production. Each instance is its own host
/// with its own keys and settings; every log line is captured.
/// </summary>
public sealed class RunningHost : WebApplicationFactory<Program>
{
    public const string HostA = "host-a";
    public const string HostAKey = "host-a-key-0123456789abcdef";
    public const string HostB = "host-b";
    public const string HostBKey = "host-b-key-0123456789abcdef";

    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly bool _shippedLogging;
    private readonly Action<IWebHostBuilder>? _webHost;

    private RunningHost(Dictionary<string, string?> settings, string environment, int port, bool shippedLogging, Action<IWebHostBuilder>? webHost)
    {
        _settings = settings;
        _environment = environment;
        _shippedLogging = shippedLogging;
        _webHost = webHost;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        UseKestrel(port);
    }

    /// <summary>Where the host listens, e.g. http://127.0.0.1:41234 (also its PublicBaseUrl).</summary>
    public Uri BaseAddress { get; }

    public LogCapture Logs { get; } = new();

    /// <summary>
    /// Starts a host with two host apps (<see cref="HostA"/>, <see cref="HostB"/>), fresh keys and the given extra
    /// settings (servers, limits, ...). <paramref name="configure"/> sees the defaults and may change or remove any.
    /// With <paramref name="shippedLogging"/>, the host logs as the shipped <c>appsettings.json</c> says, whatever the
    /// environment's settings file adds; otherwise every level is captured. <paramref name="webHost"/> may add services
    /// (test exporters) or settings the program reads before its host is built (<c>UseSetting</c>).
    /// </summary>
    public static RunningHost Start(
        Action<Dictionary<string, string?>>? configure = null,
        string environment = "Development",
        bool shippedLogging = false,
        Action<IWebHostBuilder>? webHost = null)
    {
        var port = FreePort();
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["McpGrains:PublicBaseUrl"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            ["McpGrains:Security:AllowInsecureLoopback"] = "true",
            ["McpGrains:Security:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["McpGrains:Security:ActiveKeyId"] = "k1",
            [$"McpGrains:HostApps:{HostA}:ApiKey"] = HostAKey,
            [$"McpGrains:HostApps:{HostB}:ApiKey"] = HostBKey,
            ["McpGrains:Orleans:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["McpGrains:Orleans:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
        };
        configure?.Invoke(settings);
        var host = new RunningHost(settings, environment, port, shippedLogging, webHost);
        try
        {
            host.StartServer();
        }
        catch
        {
            // A host that refused to start (the tests of start-up checks expect that) releases what it bound.
            host.Dispose();
            throw;
        }

        return host;
    }

    /// <summary>
    /// A client of the real listening host, with a host app key (none when null); redirects are not followed. With
    /// <paramref name="from"/> (a loopback address such as 127.0.0.2) its connections come from that address.
    /// </summary>
    public HttpClient Client(string? hostKey = HostAKey, IPAddress? from = null)
    {
        // A request with Expect: 100-continue waits for the host's interim answer (or its refusal) before sending the
        // body; HttpClient's own 1-second wait ran out under CI load and sent a 40 MB body into a refusal (broken pipe).
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, Expect100ContinueTimeout = TimeSpan.FromSeconds(30) };
        if (from is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        if (hostKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", hostKey);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.ConfigureAppConfiguration((context, configuration) =>
        {
            configuration.AddInMemoryCollection(_settings);
            if (_shippedLogging)
            {
                configuration.AddInMemoryCollection(ShippedLogging.Settings(context.HostingEnvironment.ContentRootPath, _environment));
            }
        });
        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            if (!_shippedLogging)
            {
                logging.SetMinimumLevel(LogLevel.Trace);
            }
        });
        _webHost?.Invoke(builder);
    }

    /// <summary>A loopback port free at the time of asking: <see cref="FreePorts.Next"/>, kept here for the tests that call it.</summary>
    public static int FreePort() => FreePorts.Next();
}
