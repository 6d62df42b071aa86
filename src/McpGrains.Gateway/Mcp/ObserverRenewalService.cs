using Microsoft.Extensions.Hosting;

namespace McpGrains.Gateway.Mcp;

/// <summary>Renews this node's observer registrations, which the session grains drop after three minutes.</summary>
internal sealed class ObserverRenewalService(DownstreamSessionRegistry registry, TimeProvider timeProvider) : BackgroundService
{
    public static readonly TimeSpan RenewalPeriod = TimeSpan.FromSeconds(60);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RenewalPeriod, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await registry.RenewAllAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
