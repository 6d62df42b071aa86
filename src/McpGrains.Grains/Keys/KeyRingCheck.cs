using McpGrains.Security;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Keys;

/// <summary>
/// At a node's start-up (silo or front end): compares the fingerprint of every configured master key with the one the
/// cluster recorded under its id the first time it was used, and records the new ones. A node holding another key
/// under a known id refuses to start, naming the id: it would fail on every secret written under the cluster's key,
/// and its own writes would be unreadable to every other node.
/// </summary>
public sealed partial class KeyRingCheck(IGrainFactory grains, KeyRing keyRing, ILogger<KeyRingCheck> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var differing = new List<string>();
        foreach (var keyId in keyRing.KeyIds.Order(StringComparer.Ordinal))
        {
            var check = await grains.GetGrain<IKeyFingerprintGrain>(keyId).CheckAsync(keyRing.Fingerprint(keyId), cancellationToken);
            switch (check)
            {
                case KeyFingerprintCheck.Recorded:
                    LogRecorded(logger, keyId);
                    break;
                case KeyFingerprintCheck.Differs:
                    LogDiffers(logger, keyId);
                    differing.Add(keyId);
                    break;
            }
        }

        if (differing.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", differing.Select(keyId =>
                $"McpGrains:Security:Keys:{keyId} is not the key this cluster has used under the id '{keyId}': every node needs the same key under each id. Give this node the cluster's key '{keyId}', or add a new key under a new id.")));
        }
    }

    [LoggerMessage(LogEvents.KeyFingerprintRecorded, LogLevel.Information, "Master key '{KeyId}' is used for the first time in this cluster: its fingerprint is recorded")]
    private static partial void LogRecorded(ILogger logger, string keyId);

    [LoggerMessage(LogEvents.KeyFingerprintDiffers, LogLevel.Critical, "McpGrains:Security:Keys:{KeyId} differs from the key this cluster recorded under that id; this node does not start")]
    private static partial void LogDiffers(ILogger logger, string keyId);
}
