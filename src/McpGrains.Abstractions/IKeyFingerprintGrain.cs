namespace McpGrains;

/// <summary>
/// One per master key id (the grain key): remembers the fingerprint of the key first used under that id in this
/// cluster (see <c>KeyRing.Fingerprint</c>), so that a node configured with another key under the same id is found at
/// start-up instead of failing on every secret it reads.
/// </summary>
[Alias("McpGrains.IKeyFingerprintGrain")]
public interface IKeyFingerprintGrain : IGrainWithStringKey
{
    /// <summary>Records <paramref name="fingerprint"/> when the id has none yet; otherwise compares it with the recorded one.</summary>
    [Alias("CheckAsync")]
    Task<KeyFingerprintCheck> CheckAsync(string fingerprint, CancellationToken cancellationToken = default);
}
