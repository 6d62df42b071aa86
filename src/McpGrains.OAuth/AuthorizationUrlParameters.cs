namespace McpGrains.OAuth;

/// <summary>Inputs of <see cref="AuthorizationUrlBuilder.Build"/>. <see cref="State"/> is a secret.</summary>
public sealed record AuthorizationUrlParameters(
    string AuthorizationEndpoint,
    string ClientId,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    string State,
    string CodeChallenge,
    string? Resource,
    bool AllowInsecureLoopback = false)
{
    public override string ToString() =>
        $"AuthorizationUrlParameters {{ AuthorizationEndpoint = {SafeUrl.Format(AuthorizationEndpoint)}, ClientId = {ClientId}, "
        + $"Scopes = {string.Join(' ', Scopes)}, State = [redacted], Resource = {Resource} }}";
}
