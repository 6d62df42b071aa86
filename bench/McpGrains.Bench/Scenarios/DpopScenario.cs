using McpGrains.Bench.Infrastructure;
using McpGrains.Testing;

namespace McpGrains.Bench.Scenarios;

/// <summary>
/// Scenario 7: what DPoP (RFC 9449) adds per call. Two protected servers alike but for their authorization servers: one
/// issues Bearer tokens, the other binds tokens to the connection's DPoP key, so every upstream request carries a fresh
/// proof that McpGrains signs (ES256) and the server checks. One user's REST echo calls at concurrency 1, the two
/// variants interleaved within each run.
/// </summary>
public sealed class DpopScenario(BenchSettings settings, BenchResults results, Uri echoEndpoint)
{
    public const string Prefix = "s7";
    public const string DpopServer = "dpop";
    public const int Rounds = 4;
    private const string User = "s6-user";

    public static readonly string[] Variants = ["bearer", "dpop"];

    public async Task RunAsync()
    {
        await using var bearerAuthorization = await TestAuthorizationServer.StartAsync();
        await using var bearerServer = await ProtectedMcpServer.StartAsync(bearerAuthorization);
        await using var dpopAuthorization = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions { DpopSigningAlgValues = ["ES256"] });
        await using var dpopServer = await ProtectedMcpServer.StartAsync(dpopAuthorization);
        var extra = new Dictionary<string, string?>
        {
            [$"McpGrains:Servers:{DpopServer}:Url"] = dpopServer.McpUri.ToString(),
            [$"McpGrains:Servers:{DpopServer}:Transport"] = "streamable-http",
        };
        await using var gateway = await GatewayHost.StartAsync(echoEndpoint, bearerServer.McpUri, null, extra);
        using var rest = new GatewayClient(gateway);
        await rest.ConnectAsync(User, GatewayHost.ProtectedServer);
        await rest.ConnectAsync(User, DpopServer);

        var calls = new Dictionary<string, Func<int, Task>>(StringComparer.Ordinal)
        {
            ["bearer"] = _ => rest.CallEchoAsync(User, GatewayHost.ProtectedServer),
            ["dpop"] = _ => rest.CallEchoAsync(User, DpopServer),
        };
        foreach (var (_, call) in calls)
        {
            await LoadRunner.RunAsync(1, 200, call);
        }

        if (dpopServer.DpopRequestCount == 0 || dpopAuthorization.DpopTokenRequestCount == 0)
        {
            throw new InvalidOperationException("The DPoP server saw no DPoP proofs: the scenario would measure Bearer twice.");
        }

        for (var run = 1; run <= settings.Runs; run++)
        {
            var slices = Variants.ToDictionary(v => v, _ => new List<LoadSlice>(), StringComparer.Ordinal);
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var variant in Variants)
                {
                    slices[variant].Add(await LoadRunner.RunRawAsync(1, settings.CallsAtOne / Rounds, calls[variant]));
                }
            }

            foreach (var variant in Variants)
            {
                var summary = LoadRunner.Summarize(slices[variant]);
                results[$"{Prefix}/{variant}/c1/p50"].Add(summary.P50);
                results[$"{Prefix}/{variant}/c1/p99"].Add(summary.P99);
            }

            Console.WriteLine($"  run {run}: c1 p50 bearer {results[$"{Prefix}/bearer/c1/p50"].Values[^1]:F3} ms, dpop {results[$"{Prefix}/dpop/c1/p50"].Values[^1]:F3} ms");
        }
    }
}
