using Microsoft.Extensions.Hosting;

namespace McpGrains.Gateway.Mcp;

/// <summary>Drops this front end's cached sessions that nobody has used for a while.</summary>
internal sealed class DownstreamSessionSweep(DownstreamEndpoint endpoint, TimeProvider timeProvider) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                endpoint.Sessions.Sweep(timeProvider.GetUtcNow());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
