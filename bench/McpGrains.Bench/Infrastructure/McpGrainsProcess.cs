using System.Diagnostics;
using System.Globalization;
using McpGrains.Testing;

namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// McpGrains as an operator runs it: <c>dotnet McpGrains.Host.dll</c> from the host project's own build output (the
/// bench's configuration, Release when run as documented), in its own process, in the Production environment with the
/// host's shipped appsettings.json (logging included). Its upstream is the echo server over https on this machine's
/// non-loopback address (<see cref="EchoTls"/>), allowed as an internal network (<c>AllowedPrivateNetworks</c>), its
/// certificate trusted through <c>SSL_CERT_FILE</c>; its public URL is an https one, as behind a TLS-terminating
/// balancer, while the bench talks plain http to its Kestrel port. What differs from a production node: McpGrains' rate
/// limits raised (the bench is the load they would refuse) and free ports. Its console output is read and counted,
/// not written.
/// </summary>
public sealed class McpGrainsProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly LineCounter _output;

    private McpGrainsProcess(ChildProcess process, Uri baseAddress, ProcessProbe probe, LineCounter output)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        Probe = probe;
    }

    /// <summary>The public URL the nodes are configured with: https, as behind a TLS-terminating balancer.</summary>
    public const string PublicBaseUrl = "https://mcpgrains.bench.invalid";

    public Uri BaseAddress { get; }

    public ProcessProbe Probe { get; }

    /// <summary>What the process wrote to its console (its log, as shipped: the console logger), in bytes and lines.</summary>
    public long LogBytes => _output.Bytes;

    public long LogLines => _output.Lines;

    public static string HostDirectory =>
        Path.Combine(NodeTools.RepositoryRoot, "src", "McpGrains.Host", "bin", ProcessProbe.Configuration, "net10.0");

    /// <summary>
    /// Starts one node. Without <paramref name="postgres"/>, the development shape (one silo and front end, in-memory
    /// storage); with it, a member of a PostgreSQL cluster (role <c>all</c>: a silo with a front end).
    /// </summary>
    public static async Task<McpGrainsProcess> StartAsync(string name, Uri echoEndpoint, EchoTls tls, string encryptionKey, string? postgres = null, string? clusterId = null)
    {
        var dll = Path.Combine(HostDirectory, "McpGrains.Host.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution in {ProcessProbe.Configuration}.");
        }

        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"]) { WorkingDirectory = HostDirectory };
        foreach (var (key, value) in Settings(echoEndpoint, tls, encryptionKey, postgres, clusterId))
        {
            start.Environment[key] = value;
        }

        var probe = ProcessProbe.Attach(start, name);
        var counter = new LineCounter();
        var host = new McpGrainsProcess(ChildProcess.Start(start, counter.Count), new Uri($"http://127.0.0.1:{port}/"), probe, counter);
        try
        {
            await host.WaitHealthyAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(2) || _process.HasExited)
            {
                throw new TimeoutException($"McpGrains at {BaseAddress} did not get ready; it wrote {LogLines} lines.");
            }

            await Task.Delay(200);
        }
    }

    private static Dictionary<string, string> Settings(Uri echoEndpoint, EchoTls tls, string encryptionKey, string? postgres, string? clusterId)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["DOTNET_NOLOGO"] = "1",
            ["SSL_CERT_FILE"] = tls.CertificatePath,
            ["McpGrains__PublicBaseUrl"] = PublicBaseUrl,
            ["McpGrains__Security__AllowedPrivateNetworks__0"] = $"{tls.Address}/32",
            ["McpGrains__Security__Keys__k1"] = encryptionKey,
            ["McpGrains__Security__ActiveKeyId"] = "k1",
            [$"McpGrains__HostApps__{GatewayHost.HostApp}__ApiKey"] = GatewayHost.HostKey,
            [$"McpGrains__Servers__{GatewayHost.OpenServer}__Url"] = echoEndpoint.ToString(),
            [$"McpGrains__Servers__{GatewayHost.OpenServer}__Transport"] = "streamable-http",
            ["McpGrains__Orleans__SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["McpGrains__Orleans__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["McpGrains__Limits__CallsPerMinutePerHostApp"] = "1000000000",
            ["McpGrains__Limits__CallsPerMinutePerUser"] = "1000000000",
            ["McpGrains__Limits__MaxDownstreamSessionsPerHostApp"] = "1000000",
            ["McpGrains__Limits__MaxDownstreamSessionsPerUser"] = "1000000",
        };
        if (postgres is not null)
        {
            settings["McpGrains__Role"] = "all";
            settings["McpGrains__Postgres__ConnectionString"] = postgres;
            settings["McpGrains__Cluster__ClusterId"] = clusterId ?? "bench";
            settings["McpGrains__Cluster__ServiceId"] = "mcpgrains-bench";
            settings["McpGrains__Cluster__AdvertisedAddress"] = "127.0.0.1";
        }

        return settings;
    }

    /// <summary>Counts the lines of a process's output (stdout and stderr) and their bytes with the newline.</summary>
    private sealed class LineCounter
    {
        private long _bytes;
        private long _lines;

        public long Bytes => Interlocked.Read(ref _bytes);

        public long Lines => Interlocked.Read(ref _lines);

        public void Count(string line)
        {
            Interlocked.Increment(ref _lines);
            Interlocked.Add(ref _bytes, System.Text.Encoding.UTF8.GetByteCount(line) + 1);
        }
    }
}
