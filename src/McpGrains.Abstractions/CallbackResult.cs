namespace McpGrains;

/// <summary>The outcome of a callback: connected, or why not. <see cref="ReturnUrl"/> was allow-listed at authorize time.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.CallbackResult")]
public sealed record CallbackResult(
    [property: Id(0)] bool Succeeded,
    [property: Id(1)] string ServerId,
    [property: Id(2)] string? ReturnUrl,
    [property: Id(3)] SessionError? Error);
