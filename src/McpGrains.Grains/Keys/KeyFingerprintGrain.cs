using System.Security.Cryptography;
using System.Text;

namespace McpGrains.Grains.Keys;

/// <summary>The cluster's record of which key was first used under one key id (grain key). Calls run one at a time, so the first fingerprint wins.</summary>
public sealed class KeyFingerprintGrain(
    [PersistentState("fingerprint", McpGrainsStorage.Name)] IPersistentState<KeyFingerprintState> state,
    TimeProvider time) : Grain, IKeyFingerprintGrain
{
    public async Task<KeyFingerprintCheck> CheckAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        if (state.State.Fingerprint is not { } recorded)
        {
            state.State.Fingerprint = fingerprint;
            state.State.RecordedAt = time.GetUtcNow();
            await state.WriteStateAsync(cancellationToken);
            return KeyFingerprintCheck.Recorded;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(recorded), Encoding.ASCII.GetBytes(fingerprint))
            ? KeyFingerprintCheck.Matches
            : KeyFingerprintCheck.Differs;
    }
}
