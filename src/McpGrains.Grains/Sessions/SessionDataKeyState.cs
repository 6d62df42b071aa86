namespace McpGrains.Grains.Sessions;

/// <summary>A connection's data key, wrapped (encrypted) by the key ring. Stored under <see cref="McpGrainsStorage.KeysName"/>.</summary>
[GenerateSerializer, Alias("McpGrains.SessionDataKeyState")]
public sealed class SessionDataKeyState
{
    [Id(0)] public byte[]? WrappedKey { get; set; }

    [Id(1)] public DateTimeOffset CreatedAt { get; set; }
}
