namespace McpGrains.Gateway.Pages;

/// <summary>
/// What the confirmation page shows (people's names for the host app, the account and the server, the provider's
/// host) and its form: where Continue posts to and the anti-forgery field; in binding mode oidc, who the browser signed
/// in as at the organization.
/// </summary>
public sealed record SignInConfirmation(
    string HostApp,
    string Account,
    string Server,
    string ProviderHost,
    DateTimeOffset ExpiresAt,
    string Action,
    IReadOnlyList<KeyValuePair<string, string>> HiddenFields,
    string? SignedInAs = null);
