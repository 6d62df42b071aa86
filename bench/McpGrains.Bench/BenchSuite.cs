using System.Diagnostics;
using McpGrains.Bench.Infrastructure;
using McpGrains.Bench.Reporting;
using McpGrains.Bench.Scenarios;

namespace McpGrains.Bench;

/// <summary>Starts the components, runs the chosen scenarios and writes docs/benchmarks.</summary>
public static class BenchSuite
{
    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var results = new BenchResults();
        var machineBefore = MachineInfo.Capture();
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"McpGrains bench ({(settings.Full ? "full" : "small")} sizes, {settings.Runs} runs) on {machineBefore.Summary}");

        var (echo, echoLine) = await ChildProcess.StartAndWaitForLineAsync(
            ChildProcess.Self(EchoServer.Command, "http"), line => line.StartsWith(EchoServer.ReadyLine, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await using var echoProcess = echo;
        var echoEndpoint = new Uri(echoLine[EchoServer.ReadyLine.Length..]);
        var notes = new List<string>();

        if (settings.Scenarios.Contains(6))
        {
            Console.WriteLine("Scenario 6: McpGrains in its own process as shipped, beside direct and nginx; two front ends on PostgreSQL");
            await new ProcessProxyScenario(settings, results).RunAsync();
        }

        if (settings.Scenarios.Contains(1) || settings.Scenarios.Contains(2))
        {
            await using var gateway = await GatewayHost.StartAsync(echoEndpoint, null, null);
            if (settings.Scenarios.Contains(1))
            {
                Console.WriteLine("Scenario 1: proxy overhead");
                var (supergateway, supergatewayEndpoint) = await Supergateway.StartAsync();
                await using (supergateway)
                {
                    await new ProxyOverheadScenario(settings, results, echoEndpoint, gateway, supergatewayEndpoint).RunAsync();
                }
            }

            if (settings.Scenarios.Contains(2))
            {
                Console.WriteLine("Scenario 2b: live upstream sessions (and scenario 1 growth)");
                await new LiveSessionsScenario(settings, results, gateway).RunAsync();
            }
        }

        if (settings.Scenarios.Contains(3) || settings.Scenarios.Contains(4))
        {
            Console.WriteLine("Scenarios 3 and 4 (in-memory): refresh storm, authorization flow rate");
            await new RefreshStormScenario(settings, results, echoEndpoint).RunAsync();
        }

        if (settings.Scenarios.Contains(2) || settings.Scenarios.Contains(4))
        {
            Console.WriteLine("Scenarios 2a and 4 (PostgreSQL): connected sessions, flow rate, activation latency");
            try
            {
                await new PostgresSessionsScenario(settings, results, echoEndpoint).RunAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                notes.Add($"The PostgreSQL scenarios did not run: {ex.GetType().Name}: {ex.Message}");
                Console.Error.WriteLine(notes[^1]);
            }
        }

        if (settings.Scenarios.Contains(5))
        {
            Console.WriteLine("Scenario 5: log volume per call (shipped logging), refreshes per 1,000 calls with 20-second tokens");
            await new OperatorScenario(settings, results, echoEndpoint).RunAsync();
        }

        if (settings.Scenarios.Contains(7))
        {
            Console.WriteLine("Scenario 7: added latency per call with DPoP-bound tokens against bearer tokens");
            await new DpopScenario(settings, results, echoEndpoint).RunAsync();
        }

        var machineAfter = MachineInfo.Capture();
        Directory.CreateDirectory(settings.OutputDirectory);
        var report = new ReportWriter(settings, results, machineBefore, machineAfter, clock.Elapsed, notes);
        await report.WriteAsync();

        // The raw run-by-run values behind every figure, so that a reader can recompute any median or ratio.
        await File.WriteAllTextAsync(
            Path.Combine(settings.OutputDirectory, "results.json"),
            System.Text.Json.JsonSerializer.Serialize(results.Raw(), new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"Report written to {Path.Combine(settings.OutputDirectory, "README.md")} after {clock.Elapsed.TotalMinutes:F1} min.");
        return 0;
    }
}
