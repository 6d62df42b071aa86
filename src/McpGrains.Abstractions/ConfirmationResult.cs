namespace McpGrains;

/// <summary>The answer to <see cref="IMcpSessionGrain.ConfirmAuthorizationAsync"/>, with the flow's allow-listed return URL when it was confirmed.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.ConfirmationResult")]
public sealed record ConfirmationResult(
    [property: Id(0)] ConfirmationOutcome Outcome,
    [property: Id(1)] string ServerId,
    [property: Id(2)] string? ReturnUrl = null);
