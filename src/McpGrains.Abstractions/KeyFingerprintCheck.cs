namespace McpGrains;

/// <summary>What <see cref="IKeyFingerprintGrain.CheckAsync"/> found.</summary>
[GenerateSerializer, Alias("McpGrains.KeyFingerprintCheck")]
public enum KeyFingerprintCheck
{
    /// <summary>The id had no fingerprint: this one is recorded now.</summary>
    Recorded,

    /// <summary>The same key as the one recorded under the id.</summary>
    Matches,

    /// <summary>Another key than the one recorded under the id.</summary>
    Differs,
}
