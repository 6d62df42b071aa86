using System.Text;
using McpGrains.Bench.Scenarios;

namespace McpGrains.Bench.Reporting;

public sealed partial class ReportWriter
{
    private string Dpop()
    {
        const string P = DpopScenario.Prefix;
        if (!r.Has($"{P}/dpop/c1/p50"))
        {
            return "";
        }

        var added = r.Difference($"{P}/dpop/c1/p50", $"{P}/bearer/c1/p50");
        var md = new StringBuilder();
        md.AppendLine("## 7. DPoP-bound tokens against bearer tokens");
        md.AppendLine();
        md.AppendLine($"One user's REST echo calls at concurrency 1 ({settings.CallsAtOne} per variant per run, interleaved) through two protected servers alike but for their authorization servers: "
            + "one issues Bearer tokens, the other binds them to the connection's DPoP key (RFC 9449), so every upstream request carries a fresh ES256 proof that McpGrains signs and the server verifies.");
        md.AppendLine();
        md.AppendLine("| Variant | p50 (ms) | p99 (ms) |");
        md.AppendLine("|---|---|---|");
        foreach (var variant in DpopScenario.Variants)
        {
            md.AppendLine($"| {variant} | {r[$"{P}/{variant}/c1/p50"].Format("F3")} | {r[$"{P}/{variant}/c1/p99"].Format("F3")} |");
        }

        md.AppendLine();
        md.AppendLine($"Added latency per call with DPoP (p50, run by run): {added.Format("F3")} ms.");
        md.AppendLine();
        Add("Added latency per call with DPoP proofs against bearer tokens (p50): reported, no target", $"{added.Format("F3")} ms", true);
        return md.ToString();
    }
}
