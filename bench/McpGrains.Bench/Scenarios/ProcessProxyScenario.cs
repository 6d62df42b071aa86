using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using McpGrains.Bench.Infrastructure;
using McpGrains.Persistence;
using McpGrains.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;

namespace McpGrains.Bench.Scenarios;

/// <summary>
/// Scenario 6: McpGrains as an operator runs it (its own Release process, shipped settings including logging, see
/// <see cref="McpGrainsProcess"/>), beside its anchors in the same run: the echo server called directly, nginx as
/// one plain HTTP hop in front of it, and a bare .NET forwarder (<see cref="BareForwarder"/>), the floor for a proxy on
/// the same HTTP stacks as McpGrains. The echo server is an https upstream on a non-loopback address, as a production
/// node requires (<see cref="EchoTls"/>): every path pays the same one TLS leg to it (HTTP/2 for McpGrains and the forwarder,
/// which ask for it; HTTP/1.1 for the direct client and nginx), and the proxies' own hop is plain http on loopback. The McpGrains process's CPU time and allocations, the forwarder's and the echo server's are read
/// through the bench's startup hook and charged per call. Then two McpGrains nodes clustered on PostgreSQL: every
/// request to one front end, and requests alternating between the two (a round-robin balancer, no stickiness).
/// </summary>
public sealed class ProcessProxyScenario(BenchSettings settings, BenchResults results)
{
    public const string Prefix = "s6";
    public const int Wide = 64;
    public const int Rounds = 4;

    public static readonly string[] AtOne = ["direct", "nginx", "forwarder", "rest", "mcp"];

    public static readonly string[] At64 = ["direct", "nginx", "forwarder", "rest", "mcp", "direct-64u", "nginx-64u", "rest-64u", "mcp-64u"];

    /// <summary>The two-node cluster: one front end, then both alternately.</summary>
    public static readonly string[] Cluster = ["rest-1fe", "mcp-1fe", "rest-2fe", "mcp-2fe"];

    /// <summary>Variants whose cost is McpGrains' process (the forwarder's is its own, and the rest are the echo server's alone).</summary>
    public static bool IsMcpGrains(string variant) => variant.StartsWith("rest", StringComparison.Ordinal) || variant.StartsWith("mcp", StringComparison.Ordinal);

    public const string Forwarder = "forwarder";

    private static readonly JsonElement EchoBody = JsonSerializer.SerializeToElement(new { arguments = new { message = "ping" } });

    public async Task RunAsync()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var tls = EchoTls.Create();
        var echoStart = ChildProcess.Self(EchoServer.Command, "https", tls.Address.ToString(), tls.CertificatePath, tls.KeyPath);
        var echoProbe = ProcessProbe.Attach(echoStart, "echo");
        var (echoProcess, echoLine) = await ChildProcess.StartAndWaitForLineAsync(echoStart, line => line.StartsWith(EchoServer.ReadyLine, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await using var echo = echoProcess;
        var echoEndpoint = new Uri(echoLine[EchoServer.ReadyLine.Length..]);
        var (nginxProcess, nginxEndpoint) = await Nginx.StartAsync(echoEndpoint, tls);
        await using var nginx = nginxProcess;
        var forwarderStart = ChildProcess.Self(BareForwarder.Command, echoEndpoint.ToString(), tls.CertificatePath);
        var forwarderProbe = ProcessProbe.Attach(forwarderStart, Forwarder);
        var (forwarderProcess, forwarderLine) = await ChildProcess.StartAndWaitForLineAsync(forwarderStart, line => line.StartsWith(EchoServer.ReadyLine, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await using var forwarder = forwarderProcess;
        await using var single = await McpGrainsProcess.StartAsync("single", echoEndpoint, tls, key);

        var calls = new Dictionary<string, Func<int, Task>>(StringComparer.Ordinal);
        var clients = new List<IAsyncDisposable>();
        try
        {
            await AddDirectAsync(calls, clients, "direct", echoEndpoint, tls);
            await AddDirectAsync(calls, clients, "nginx", nginxEndpoint, tls);
            await AddDirectAsync(calls, clients, Forwarder, new Uri(forwarderLine[EchoServer.ReadyLine.Length..]), tls, wide: false);
            await AddMcpGrainsAsync(calls, clients, "", [single.BaseAddress]);
            await MeasureAsync(calls, single, echoProbe, forwarderProbe);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        await MeasureClusterAsync(echoEndpoint, tls, key);
    }

    private async Task MeasureAsync(Dictionary<string, Func<int, Task>> calls, McpGrainsProcess host, ProcessProbe echoProbe, ProcessProbe forwarderProbe)
    {
        await WarmUpAsync(calls);
        for (var run = 1; run <= settings.Runs; run++)
        {
            var atOne = AtOne.ToDictionary(v => v, _ => new List<LoadSlice>());
            var at64 = At64.ToDictionary(v => v, _ => new List<LoadSlice>());
            var cost = At64.ToDictionary(v => v, _ => default(ProbeReading));
            var logBytes = At64.ToDictionary(v => v, _ => 0L);
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var variant in AtOne)
                {
                    atOne[variant].Add(await LoadRunner.RunRawAsync(1, settings.CallsAtOne / Rounds, calls[variant]));
                }

                foreach (var variant in At64)
                {
                    var probe = IsMcpGrains(variant) ? host.Probe : variant == Forwarder ? forwarderProbe : echoProbe;
                    var before = await probe.ReadAsync();
                    var logged = host.LogBytes;
                    at64[variant].Add(await LoadRunner.RunRawAsync(Wide, settings.CallsAt64 / Rounds, calls[variant]));
                    cost[variant] += await probe.ReadAsync() - before;
                    logBytes[variant] += host.LogBytes - logged;
                }
            }

            foreach (var variant in AtOne)
            {
                Record($"{Prefix}/{variant}/c1", LoadRunner.Summarize(atOne[variant]));
            }

            var calls64 = settings.CallsAt64 / Rounds * Rounds;
            foreach (var variant in At64)
            {
                Record($"{Prefix}/{variant}/c64", LoadRunner.Summarize(at64[variant]));
                results[$"{Prefix}/{variant}/c64/cpu-us"].Add(cost[variant].Cpu.TotalMicroseconds / calls64);
                results[$"{Prefix}/{variant}/c64/alloc"].Add(cost[variant].AllocatedBytes / (double)calls64);
                results[$"{Prefix}/{variant}/c64/log-bytes"].Add(logBytes[variant] / (double)calls64);
            }

            Console.WriteLine($"  run {run}: c64 calls/s " + string.Join(", ", At64.Select(v => $"{v} {results[$"{Prefix}/{v}/c64/tput"].Values[^1]:F0}"))
                + $"; McpGrains µs CPU per call rest {results[$"{Prefix}/rest/c64/cpu-us"].Values[^1]:F0}, mcp {results[$"{Prefix}/mcp/c64/cpu-us"].Values[^1]:F0}");
        }
    }

    private async Task MeasureClusterAsync(Uri echoEndpoint, EchoTls tls, string key)
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync();
        await new PostgresMigrator(NullLogger<PostgresMigrator>.Instance).MigrateAsync(connectionString, CancellationToken.None);
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await McpGrainsProcess.StartAsync("node1", echoEndpoint, tls, key, connectionString, clusterId);
        await using var second = await McpGrainsProcess.StartAsync("node2", echoEndpoint, tls, key, connectionString, clusterId);
        var calls = new Dictionary<string, Func<int, Task>>(StringComparer.Ordinal);
        var clients = new List<IAsyncDisposable>();
        try
        {
            await AddMcpGrainsAsync(calls, clients, "-1fe", [first.BaseAddress], wide: false);
            await AddMcpGrainsAsync(calls, clients, "-2fe", [first.BaseAddress, second.BaseAddress], wide: false);
            await WarmUpAsync(calls);
            for (var run = 1; run <= settings.Runs; run++)
            {
                var slices = Cluster.ToDictionary(v => v, _ => new List<LoadSlice>());
                for (var round = 0; round < Rounds; round++)
                {
                    foreach (var variant in Cluster)
                    {
                        slices[variant].Add(await LoadRunner.RunRawAsync(Wide, settings.CallsAt64 / Rounds, calls[variant]));
                    }
                }

                foreach (var variant in Cluster)
                {
                    Record($"{Prefix}/{variant}/c64", LoadRunner.Summarize(slices[variant]));
                }

                Console.WriteLine($"  run {run}: two-node cluster c64 calls/s " + string.Join(", ", Cluster.Select(v => $"{v} {results[$"{Prefix}/{v}/c64/tput"].Values[^1]:F0}")));
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Every variant, four times over: the processes' tiered JIT was still compiling hundreds of methods every few
    /// seconds into the first measured run after two passes (dotnet-counters), which that run charged to the calls;
    /// operators' nodes run for days past that point.
    /// </summary>
    private static async Task WarmUpAsync(Dictionary<string, Func<int, Task>> calls)
    {
        Console.WriteLine("  warm-up");
        for (var pass = 0; pass < 4; pass++)
        {
            foreach (var (_, call) in calls)
            {
                await LoadRunner.RunAsync(Wide, 2000, call);
                await LoadRunner.RunAsync(1, 200, call);
            }
        }
    }

    /// <summary>The echo server straight (https, its certificate checked) or through a proxy (http to it, https from it); with <paramref name="wide"/>, also 64 sessions.</summary>
    private static async Task AddDirectAsync(Dictionary<string, Func<int, Task>> calls, List<IAsyncDisposable> clients, string name, Uri endpoint, EchoTls tls, bool wide = true)
    {
        var one = await McpClients.OpenAsync(endpoint, tls.CreateHandler());
        clients.Add(one);
        calls[name] = _ => McpClients.CallEchoAsync(one);
        if (!wide)
        {
            return;
        }

        var sessions = new McpClient[Wide];
        for (var i = 0; i < Wide; i++)
        {
            sessions[i] = await McpClients.OpenAsync(endpoint, tls.CreateHandler());
            clients.Add(sessions[i]);
        }

        calls[name + "-64u"] = worker => McpClients.CallEchoAsync(sessions[worker]);
    }

    /// <summary>REST and /mcp through the given front ends (alternating when more than one), for one user and, when <paramref name="wide"/>, 64.</summary>
    private static async Task AddMcpGrainsAsync(Dictionary<string, Func<int, Task>> calls, List<IAsyncDisposable> clients, string suffix, IReadOnlyList<Uri> frontEnds, bool wide = true)
    {
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + GatewayHost.HostKey };
        var rest = new HttpClient(new AlternatingHandler(frontEnds)) { BaseAddress = frontEnds[0], Timeout = TimeSpan.FromMinutes(5) };
        rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHost.HostKey);
        clients.Add(new DisposableClient(rest));
        var endpoint = new Uri(frontEnds[0], "mcp/" + GatewayHost.OpenServer);
        var user = "s6-user" + suffix;
        var mcp = await McpClients.OpenAsync(endpoint, new AlternatingHandler(frontEnds), new Dictionary<string, string>(headers) { ["X-User-Id"] = user });
        clients.Add(mcp);
        calls["rest" + suffix] = _ => CallRestAsync(rest, user);
        calls["mcp" + suffix] = _ => McpClients.CallEchoAsync(mcp);
        if (!wide)
        {
            return;
        }

        var users = new McpClient[Wide];
        for (var i = 0; i < Wide; i++)
        {
            users[i] = await McpClients.OpenAsync(endpoint, new AlternatingHandler(frontEnds), new Dictionary<string, string>(headers) { ["X-User-Id"] = $"{user}-{i}" });
            clients.Add(users[i]);
        }

        calls["rest-64u" + suffix] = worker => CallRestAsync(rest, $"{user}-{worker}");
        calls["mcp-64u" + suffix] = worker => McpClients.CallEchoAsync(users[worker]);
    }

    private static async Task CallRestAsync(HttpClient rest, string user)
    {
        using var response = await rest.PostAsJsonAsync($"api/v1/users/{user}/connections/{GatewayHost.OpenServer}/tools/echo", EchoBody);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"REST echo answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await response.Content.CopyToAsync(Stream.Null);
    }

    private void Record(string name, LoadResult result)
    {
        results[name + "/p50"].Add(result.P50);
        results[name + "/p99"].Add(result.P99);
        results[name + "/tput"].Add(result.Throughput);
        results[name + "/errors"].Add(result.Errors);
    }

    private sealed class DisposableClient(HttpClient client) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
