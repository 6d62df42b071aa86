using System.Globalization;
using System.Text;
using McpGrains.Bench.Infrastructure;
using McpGrains.Bench.Scenarios;

namespace McpGrains.Bench.Reporting;

public sealed partial class ReportWriter
{
    private string ProcessProxy()
    {
        const string P = ProcessProxyScenario.Prefix;
        if (!r.Has($"{P}/direct/c64/tput"))
        {
            return "";
        }

        var md = new StringBuilder();
        md.AppendLine("## 6. McpGrains as operators run it, beside nginx");
        md.AppendLine();
        md.AppendLine($"`dotnet McpGrains.Host.dll` from the host's {ProcessProbe.Configuration} build in its own process, in the Production environment with its shipped `appsettings.json` "
            + "(logging included: its console output is read and counted), silo and front end in one process with in-memory storage. Its upstream, the echo server, is served "
            + "over https on this machine's non-loopback address (a production node refuses loopback and plain http), allowed as an internal network, its self-signed "
            + "certificate the node's only trusted root (`SSL_CERT_FILE`); the bench talks plain http to McpGrains, as a TLS-terminating balancer would. The anchors, in the same run: "
            + "`direct` (the echo server called straight, over https), `nginx` (Debian's nginx-light as one plain HTTP hop in front of the same echo server, https to it with "
            + "its certificate checked, upstream keep-alive, no buffering) and `forwarder` (the floor for a proxy built on .NET's HTTP stacks: Kestrel in front, `SocketsHttpHandler` behind, "
            + "nothing in between, in a process of its own with an ASP.NET app's default settings; `bench/McpGrains.Bench/Infrastructure/BareForwarder.cs`): every path pays the same one TLS leg to the echo server. "
            + $"That leg is HTTP/1.1 for `direct` (the MCP SDK client's default) and `nginx` (it has no HTTP/2 to upstreams), and HTTP/2 for McpGrains (its default, `McpGrains:Servers:<id>:Http2`, since the echo server offers it) and the forwarder: their concurrent calls share multiplexed connections. {settings.CallsAtOne} calls per run at concurrency 1, {settings.CallsAt64} at 64, the variants round-robin in {ProcessProxyScenario.Rounds} slices per run, after every variant has been warmed up four times over (2,000 calls at 64 and 200 at 1 each pass). "
            + "`-64u`: 64 users (64 MCP sessions), one call each in flight. CPU and allocations per call are the McpGrains process's for `rest` and `mcp`, "
            + "the forwarder process's for `forwarder`, and the echo server process's for `direct` and `nginx` (the same server; nginx's own CPU is not counted), read by a startup hook (`bench/McpGrains.Bench.Probe`).");
        md.AppendLine();
        md.AppendLine("| Path | c1 p50 ms | c64 p50 ms | c64 p99 ms | c64 calls/s | vs direct | vs nginx | CPU µs per call | KiB allocated per call | log bytes per call |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var variant in ProcessProxyScenario.At64)
        {
            var wide = variant.EndsWith("-64u", StringComparison.Ordinal);
            var direct = wide ? "direct-64u" : "direct";
            var nginx = wide ? "nginx-64u" : "nginx";
            var c1 = r.Has($"{P}/{variant}/c1/p50") ? r[$"{P}/{variant}/c1/p50"].Format("F3") : "";
            var log = ProcessProxyScenario.IsMcpGrains(variant) ? r[$"{P}/{variant}/c64/log-bytes"].Format("F1") : "";
            md.AppendLine($"| {variant} | {c1} | {r[$"{P}/{variant}/c64/p50"].Format()} | {r[$"{P}/{variant}/c64/p99"].Format()} | {r[$"{P}/{variant}/c64/tput"].Format("F0")} "
                + $"| {r.Ratio($"{P}/{variant}/c64/tput", $"{P}/{direct}/c64/tput").Format()}× | {r.Ratio($"{P}/{variant}/c64/tput", $"{P}/{nginx}/c64/tput").Format()}× "
                + $"| {r[$"{P}/{variant}/c64/cpu-us"].Format("F0")} | {Scale(r[$"{P}/{variant}/c64/alloc"], 1.0 / 1024).Format("F1")} | {log} |");
        }

        md.AppendLine();
        var forwarderAdded = r.Difference($"{P}/{ProcessProxyScenario.Forwarder}/c1/p50", $"{P}/direct/c1/p50");
        Add("Own process: added p50 at c1 of the bare .NET forwarder (the floor for McpGrains' HTTP stacks): reported, no target", forwarderAdded.Format("F3") + " ms", true);
        foreach (var variant in new[] { "rest", "mcp" })
        {
            var added = r.Difference($"{P}/{variant}/c1/p50", $"{P}/direct/c1/p50");
            Add($"Own process: no failed call ({variant}, {variant}-64u)", $"{r[$"{P}/{variant}/c64/errors"].Max + r[$"{P}/{variant}-64u/c64/errors"].Max:F0}", r[$"{P}/{variant}/c64/errors"].Max + r[$"{P}/{variant}-64u/c64/errors"].Max == 0);
            Add($"Own process: added p50 at c1 ≤ 0.25 ms ({variant})", added.Format("F3") + " ms", added.Median <= 0.25);
            foreach (var suffix in new[] { "", "-64u" })
            {
                var v = variant + suffix;
                var vsDirect = r.Ratio($"{P}/{v}/c64/tput", $"{P}/direct{suffix}/c64/tput");
                Add($"Own process: c64 throughput ≥ 0.5× direct ({v})", vsDirect.Format() + "×", vsDirect.Median >= 0.5);
                var vsNginx = r.Ratio($"{P}/{v}/c64/tput", $"{P}/nginx{suffix}/c64/tput");
                Add($"Own process: c64 throughput ≥ 0.75× nginx ({v})", vsNginx.Format() + "×", vsNginx.Median >= 0.75);
            }

            var cpu = r[$"{P}/{variant}/c64/cpu-us"];
            Add($"Own process: McpGrains CPU ≤ 150 µs per call ({variant}, c64)", cpu.Format("F0") + " µs", cpu.Median <= 150);
            var allocation = r.Ratio($"{P}/{variant}/c64/alloc", $"{P}/direct/c64/alloc");
            Add($"Own process: allocations per call ≤ 2× direct's echo server ({variant}, c64)", allocation.Format() + "×", allocation.Median <= 2);
        }

        if (r.Has($"{P}/rest-2fe/c64/tput"))
        {
            md.AppendLine("Two McpGrains nodes (`McpGrains:Role=all`) clustered on PostgreSQL, the same shipped settings; one user at concurrency 64, every request to one front end (`-1fe`) "
                + "or alternating between the two with no stickiness (`-2fe`: a round-robin balancer in the client; a session's grain lives on one of the two silos, so half the requests "
                + "cross to the other silo).");
            md.AppendLine();
            md.AppendLine("| Path | c64 p50 ms | c64 p99 ms | c64 calls/s | vs one front end | failed calls |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var variant in ProcessProxyScenario.Cluster)
            {
                var one = variant.Replace("-2fe", "-1fe", StringComparison.Ordinal);
                md.AppendLine($"| {variant} | {r[$"{P}/{variant}/c64/p50"].Format()} | {r[$"{P}/{variant}/c64/p99"].Format()} | {r[$"{P}/{variant}/c64/tput"].Format("F0")} | {r.Ratio($"{P}/{variant}/c64/tput", $"{P}/{one}/c64/tput").Format()}× | {r[$"{P}/{variant}/c64/errors"].Format("F0")} |");
            }

            md.AppendLine();
        }

        return md.ToString();
    }
}
