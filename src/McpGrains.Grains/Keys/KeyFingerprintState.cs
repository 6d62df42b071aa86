namespace McpGrains.Grains.Keys;

/// <summary>The fingerprint of the key first used under one key id. Property names and [Id]s are a stored contract.</summary>
[GenerateSerializer, Alias("McpGrains.KeyFingerprintState")]
public sealed class KeyFingerprintState
{
    [Id(0)] public string? Fingerprint { get; set; }

    [Id(1)] public DateTimeOffset RecordedAt { get; set; }
}
