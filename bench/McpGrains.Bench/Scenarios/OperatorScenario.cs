using System.Diagnostics;
using McpGrains.Bench.Infrastructure;
using McpGrains.Testing;

namespace McpGrains.Bench.Scenarios;

/// <summary>
/// Scenario 5: what an operator pays per call besides time. Log volume: the lines and bytes the host logs per proxied
/// call with its shipped logging settings once connected (REST and /mcp, the echo tool of the open server). Refreshes:
/// one user's <see cref="RefreshCalls"/> calls through a protected server whose authorization server issues
/// <see cref="TokenLifetime"/> access tokens (rotating refresh tokens, reuse detection), spread evenly over
/// <see cref="Lifetimes"/> token lifetimes: the refreshes follow the lifetimes, not the calls.
/// </summary>
public sealed class OperatorScenario(BenchSettings settings, BenchResults results, Uri echoEndpoint)
{
    public const string Prefix = "s5";
    public const int RefreshCalls = 1000;
    public const int Lifetimes = 2;
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(20);

    private const string LogUser = "s5-user";
    private const string RefreshUser = "s5-refresh";

    public async Task RunAsync()
    {
        await using var authorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions { AccessTokenLifetime = TokenLifetime });
        await using var protectedServer = await ProtectedMcpServer.StartAsync(authorizationServer);
        await using var gateway = await GatewayHost.StartAsync(echoEndpoint, protectedServer.McpUri, null);
        using var rest = new GatewayClient(gateway);
        await using var mcp = await rest.OpenMcpAsync(LogUser, GatewayHost.OpenServer);

        // Warm-up: the upstream connections and the downstream session open, and log that they did.
        await rest.CallEchoAsync(LogUser, GatewayHost.OpenServer);
        await McpClients.CallEchoAsync(mcp);
        await rest.ConnectAsync(RefreshUser, GatewayHost.ProtectedServer);
        await rest.CallEchoAsync(RefreshUser, GatewayHost.ProtectedServer);

        for (var run = 1; run <= settings.Runs; run++)
        {
            var (restLines, restBytes) = await LoggedPerCallAsync(gateway, () => rest.CallEchoAsync(LogUser, GatewayHost.OpenServer));
            var (mcpLines, mcpBytes) = await LoggedPerCallAsync(gateway, () => McpClients.CallEchoAsync(mcp));
            results[$"{Prefix}/log/rest/lines"].Add(restLines);
            results[$"{Prefix}/log/rest/bytes"].Add(restBytes);
            results[$"{Prefix}/log/mcp/lines"].Add(mcpLines);
            results[$"{Prefix}/log/mcp/bytes"].Add(mcpBytes);

            var refreshesBefore = authorizationServer.RefreshRequestCount;
            var reuseBefore = authorizationServer.RefreshTokenReuseCount;
            await PacedAsync(RefreshCalls, TokenLifetime * Lifetimes, () => rest.CallEchoAsync(RefreshUser, GatewayHost.ProtectedServer));
            var refreshes = authorizationServer.RefreshRequestCount - refreshesBefore;
            results[$"{Prefix}/refresh/per1000"].Add(refreshes * 1000.0 / RefreshCalls);
            results[$"{Prefix}/refresh/reuse"].Add(authorizationServer.RefreshTokenReuseCount - reuseBefore);
            Console.WriteLine($"  run {run}: log bytes per call REST {restBytes:F1} ({restLines:F2} lines), /mcp {mcpBytes:F1} ({mcpLines:F2} lines); "
                + $"{refreshes} refreshes for {RefreshCalls} calls over {Lifetimes} lifetimes of {TokenLifetime.TotalSeconds:F0} s");
        }
    }

    /// <summary>Lines and bytes the host logged per call over <see cref="BenchSettings.CallsAtOne"/> sequential calls.</summary>
    private async Task<(double Lines, double Bytes)> LoggedPerCallAsync(GatewayHost gateway, Func<Task> call)
    {
        var (lines, bytes) = (gateway.Logs.Lines, gateway.Logs.Bytes);
        for (var i = 0; i < settings.CallsAtOne; i++)
        {
            await call();
        }

        return ((gateway.Logs.Lines - lines) / (double)settings.CallsAtOne, (gateway.Logs.Bytes - bytes) / (double)settings.CallsAtOne);
    }

    /// <summary>Issues <paramref name="count"/> calls one after another, evenly spaced over <paramref name="span"/>.</summary>
    private static async Task PacedAsync(int count, TimeSpan span, Func<Task> call)
    {
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = span * i / count - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            await call();
        }
    }
}
