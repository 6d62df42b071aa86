using McpGrains.Grains.Keys;

namespace McpGrains.Host;

/// <summary>
/// A front end's <see cref="KeyRingCheck"/>: runs once its cluster client is connected (it is registered after the
/// client) and before the web server starts serving, so that a front end with another key under a known id does not
/// start.
/// </summary>
public sealed class KeyRingCheckService(KeyRingCheck check) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => check.RunAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
