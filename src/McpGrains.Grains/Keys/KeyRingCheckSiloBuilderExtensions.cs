using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace McpGrains.Grains.Keys;

public static class KeyRingCheckSiloBuilderExtensions
{
    /// <summary>
    /// Runs <see cref="KeyRingCheck"/> when the silo has joined the cluster: a silo with another key under a known key
    /// id fails its start. For hosts whose grain storage is the cluster's own (not test clusters sharing a storage).
    /// </summary>
    public static ISiloBuilder AddMcpGrainsKeyRingCheck(this ISiloBuilder silo)
    {
        silo.Services.TryAddSingleton<KeyRingCheck>();
        silo.AddStartupTask((services, cancellationToken) => services.GetRequiredService<KeyRingCheck>().RunAsync(cancellationToken));
        return silo;
    }
}
