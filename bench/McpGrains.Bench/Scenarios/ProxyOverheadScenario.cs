using McpGrains.Bench.Infrastructure;
using ModelContextProtocol.Client;

namespace McpGrains.Bench.Scenarios;

/// <summary>
/// Scenario 1: the echo tool called directly, through McpGrains REST, through McpGrains /mcp/{serverId} and through
/// supergateway, at concurrency 1 and 64, the variants interleaved within each run so that they share the noise.
/// At 64, McpGrains is measured twice: 64 calls of one user (one session grain, its calls in flight together) and one
/// call each of 64 users.
/// </summary>
public sealed class ProxyOverheadScenario(BenchSettings settings, BenchResults results, Uri echoEndpoint, GatewayHost gateway, Uri supergatewayEndpoint)
{
    public const string Prefix = "s1";
    public const int Wide = 64;

    /// <summary>Slices per variant per run.</summary>
    public const int Rounds = 4;

    public static readonly string[] Variants = ["direct", "rest", "mcp", "supergateway"];

    /// <summary>The variants at 64 users, one call each in flight: 64 direct MCP sessions as their anchor, then McpGrains.</summary>
    public static readonly string[] WideVariants = ["direct-64u", "rest-64u", "mcp-64u"];

    /// <summary>
    /// Diagnostics, no target: the session grain called in process (what McpGrains costs without its HTTP front end),
    /// one user and 64 users.
    /// </summary>
    public static readonly string[] GrainVariants = ["grain", "grain-64u"];

    /// <summary>All variants measured at concurrency 64.</summary>
    public static readonly string[] AllAt64 = [.. Variants, .. WideVariants, .. GrainVariants];

    private static readonly UpstreamRequest EchoRequest = new("tools/call", """{"name":"echo","arguments":{"message":"ping"}}""");

    public async Task RunAsync()
    {
        using var rest = new GatewayClient(gateway);
        await using var direct = await McpClients.OpenAsync(echoEndpoint);
        await using var viaMcp = await rest.OpenMcpAsync("s1-user", GatewayHost.OpenServer);
        await using var viaSupergateway = await McpClients.OpenAsync(supergatewayEndpoint);
        var wideUsers = new McpClient[Wide];
        var wideDirect = new McpClient[Wide];
        for (var i = 0; i < Wide; i++)
        {
            wideUsers[i] = await rest.OpenMcpAsync($"s1-user-{i}", GatewayHost.OpenServer);
            wideDirect[i] = await McpClients.OpenAsync(echoEndpoint);
        }

        var calls = new Dictionary<string, Func<int, Task>>(StringComparer.Ordinal)
        {
            ["direct"] = _ => McpClients.CallEchoAsync(direct),
            ["rest"] = _ => rest.CallEchoAsync("s1-user", GatewayHost.OpenServer),
            ["mcp"] = _ => McpClients.CallEchoAsync(viaMcp),
            ["supergateway"] = _ => McpClients.CallEchoAsync(viaSupergateway),
            ["grain"] = _ => CallGrainAsync(gateway, "s1-user"),
            ["grain-64u"] = worker => CallGrainAsync(gateway, $"s1-user-{worker}"),
            ["direct-64u"] = worker => McpClients.CallEchoAsync(wideDirect[worker]),
            ["rest-64u"] = worker => rest.CallEchoAsync($"s1-user-{worker}", GatewayHost.OpenServer),
            ["mcp-64u"] = worker => McpClients.CallEchoAsync(wideUsers[worker]),
        };

        // Warm-up: enough calls of every variant, twice round, for tiered compilation to settle (the first measured
        // run was otherwise visibly slower than the rest).
        Console.WriteLine("  warm-up");
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var (_, call) in calls)
            {
                await LoadRunner.RunAsync(Wide, 2000, call);
                await LoadRunner.RunAsync(1, 200, call);
            }
        }

        if (settings.SoakVariant is { } soak)
        {
            Console.WriteLine($"  soak {soak} for {settings.SoakSeconds} s (pid {Environment.ProcessId})");
            var until = DateTime.UtcNow.AddSeconds(settings.SoakSeconds);
            using var sampler = new AllocationSampler();
            while (DateTime.UtcNow < until)
            {
                var result = await LoadRunner.RunAsync(Wide, settings.CallsAt64, calls[soak]);
                Console.WriteLine($"  {result.Throughput:F0} calls/s, p50 {result.P50:F2} ms");
            }

            foreach (var (type, bytes) in sampler.Top(40))
            {
                Console.WriteLine($"  {bytes / 1024 / 1024,8} MiB  {type}");
            }

            return;
        }

        // Each run measures every variant in Rounds short slices, round-robin, so that the variants share the
        // machine's drift (this 2-core machine is noisy) rather than each getting its own stretch of it.
        for (var run = 1; run <= settings.Runs; run++)
        {
            var atOne = Variants.ToDictionary(v => v, _ => new List<LoadSlice>());
            var at64 = AllAt64.ToDictionary(v => v, _ => new List<LoadSlice>());
            var allocated = Variants.ToDictionary(v => v, _ => 0L);
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var variant in Variants)
                {
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    atOne[variant].Add(await LoadRunner.RunRawAsync(1, settings.CallsAtOne / Rounds, calls[variant]));
                    allocated[variant] += GC.GetTotalAllocatedBytes(precise: true) - before;
                }

                foreach (var variant in AllAt64)
                {
                    at64[variant].Add(await LoadRunner.RunRawAsync(Wide, settings.CallsAt64 / Rounds, calls[variant]));
                }
            }

            foreach (var variant in Variants)
            {
                Record($"{Prefix}/{variant}/c1", LoadRunner.Summarize(atOne[variant]));
                results[$"{Prefix}/{variant}/c1/alloc"].Add(allocated[variant] / (double)(settings.CallsAtOne / Rounds * Rounds));
            }

            foreach (var variant in AllAt64)
            {
                Record($"{Prefix}/{variant}/c64", LoadRunner.Summarize(at64[variant]));
            }

            Console.WriteLine($"  run {run}: c1 p50 direct {results[$"{Prefix}/direct/c1/p50"].Values[^1]:F3} ms, rest {results[$"{Prefix}/rest/c1/p50"].Values[^1]:F3}, mcp {results[$"{Prefix}/mcp/c1/p50"].Values[^1]:F3}, supergateway {results[$"{Prefix}/supergateway/c1/p50"].Values[^1]:F3}; "
                + $"c64 calls/s direct {results[$"{Prefix}/direct/c64/tput"].Values[^1]:F0}, direct-64u {results[$"{Prefix}/direct-64u/c64/tput"].Values[^1]:F0}, rest {results[$"{Prefix}/rest/c64/tput"].Values[^1]:F0}, rest-64u {results[$"{Prefix}/rest-64u/c64/tput"].Values[^1]:F0}, mcp {results[$"{Prefix}/mcp/c64/tput"].Values[^1]:F0}, mcp-64u {results[$"{Prefix}/mcp-64u/c64/tput"].Values[^1]:F0}, supergateway {results[$"{Prefix}/supergateway/c64/tput"].Values[^1]:F0}");
        }

        foreach (var client in wideUsers.Concat(wideDirect))
        {
            await client.DisposeAsync();
        }
    }

    private static async Task CallGrainAsync(GatewayHost gateway, string user)
    {
        var grain = gateway.Grains.GetGrain<IMcpSessionGrain>(new McpSessionKey(GatewayHost.HostApp, user, GatewayHost.OpenServer).Format());
        var result = await grain.SendAsync(EchoRequest);
        if (result.Outcome != UpstreamOutcome.Success)
        {
            throw new InvalidOperationException($"echo through the grain answered {result.Outcome}.");
        }
    }

    private void Record(string name, LoadResult result)
    {
        results[name + "/p50"].Add(result.P50);
        results[name + "/p99"].Add(result.P99);
        results[name + "/tput"].Add(result.Throughput);
        results[name + "/errors"].Add(result.Errors);
    }
}
