namespace McpGrains;

/// <summary>
/// An expected failure, safe to show to a host app or a user: a stable machine code and a human message.
/// Never carries a secret.
/// </summary>
[GenerateSerializer, Immutable, Alias("McpGrains.SessionError")]
public sealed record SessionError(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message);
