using System.Globalization;
using System.Text;
using McpGrains.Bench.Scenarios;

namespace McpGrains.Bench.Reporting;

public sealed partial class ReportWriter
{
    private string Operator()
    {
        const string P = OperatorScenario.Prefix;
        if (!r.Has($"{P}/log/rest/bytes"))
        {
            return "";
        }

        var md = new StringBuilder();
        var lifetime = OperatorScenario.TokenLifetime.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);
        md.AppendLine("## 5. Log volume and refreshes per call");
        md.AppendLine();
        md.AppendLine($"Log volume: the host runs with its shipped logging settings (`src/McpGrains.Host/appsettings.json`); after a warm-up call, {settings.CallsAtOne} echo calls per run, "
            + "counted in lines and in the bytes the console logger's default format would write. "
            + $"Refreshes: one user's {OperatorScenario.RefreshCalls} calls, evenly spaced over {OperatorScenario.Lifetimes} lifetimes of the {lifetime}-second access tokens its authorization server issues "
            + "(rotating refresh tokens with reuse detection): at most one refresh per token lifetime is expected, whatever the number of calls.");
        md.AppendLine();
        md.AppendLine("| Figure | REST | /mcp |");
        md.AppendLine("|---|---|---|");
        md.AppendLine($"| log lines per proxied call | {r[$"{P}/log/rest/lines"].Format()} | {r[$"{P}/log/mcp/lines"].Format()} |");
        md.AppendLine($"| log bytes per proxied call | {r[$"{P}/log/rest/bytes"].Format("F1")} | {r[$"{P}/log/mcp/bytes"].Format("F1")} |");
        md.AppendLine();
        md.AppendLine($"Refreshes per 1,000 calls with {lifetime}-second tokens over {OperatorScenario.Lifetimes} lifetimes: {r[$"{P}/refresh/per1000"].Format("F0")}; refresh tokens presented twice (reuse detected): {r[$"{P}/refresh/reuse"].Format("F0")}.");
        md.AppendLine();

        var logBytes = Math.Max(r[$"{P}/log/rest/bytes"].Max, r[$"{P}/log/mcp/bytes"].Max);
        Add("Log bytes per proxied call with shipped settings, at steady state: 0", $"{logBytes:F1} (worst run, REST and /mcp)", logBytes == 0);
        var perThousand = r[$"{P}/refresh/per1000"].Max;
        Add($"Refreshes per 1,000 calls with {lifetime}-second tokens bounded by the lifetimes ({OperatorScenario.Lifetimes + 1} at most), not the calls",
            $"{perThousand:F0} (worst run)", perThousand <= OperatorScenario.Lifetimes + 1 && r[$"{P}/refresh/reuse"].Max == 0);
        return md.ToString();
    }
}
