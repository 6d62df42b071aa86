namespace McpGrains;

/// <summary>Asks a session to connect. <see cref="ReturnUrl"/> is already checked against the allow-list by the front end.</summary>
[GenerateSerializer, Immutable, Alias("McpGrains.AuthorizeRequest")]
public sealed record AuthorizeRequest([property: Id(0)] string? ReturnUrl);
