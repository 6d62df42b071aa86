namespace McpGrains.Grains.Sessions;

/// <summary>
/// An authorization the user has been sent to complete, persisted before the URL is handed out so that the callback
/// completes it on any node, after any silo failure. Single use. The flow id is kept only as a SHA-256 hash; the PKCE
/// verifier only encrypted.
/// </summary>
[GenerateSerializer, Alias("McpGrains.PendingAuthorization")]
public sealed class PendingAuthorization
{
    [Id(0)] public byte[] FlowIdHash { get; set; } = [];

    [Id(1)] public byte[] ProtectedCodeVerifier { get; set; } = [];

    [Id(2)] public string ExpectedIssuer { get; set; } = "";

    [Id(3)] public bool IssParameterSupported { get; set; }

    [Id(4)] public string RedirectUri { get; set; } = "";

    [Id(5)] public string Resource { get; set; } = "";

    [Id(6)] public List<string> Scopes { get; set; } = [];

    [Id(7)] public DateTimeOffset CreatedAt { get; set; }

    [Id(8)] public DateTimeOffset ExpiresAt { get; set; }

    [Id(9)] public string? ReturnUrl { get; set; }

    [Id(10)] public string ClientId { get; set; } = "";

    /// <summary>The status to return to when the flow ends without tokens (a pending flow is not a connection).</summary>
    [Id(11)] public ConnectionStatus PreviousStatus { get; set; }

    /// <summary>Names this flow in URL elicitations and their completion notification; not a secret.</summary>
    [Id(12)] public string ElicitationId { get; set; } = "";

    /// <summary>
    /// The authorization server URL (it carries the sealed state), encrypted. It leaves McpGrains only as the redirect
    /// answering Continue on the confirmation page.
    /// </summary>
    [Id(13)] public byte[] ProtectedAuthorizationUrl { get; set; } = [];

    /// <summary>The McpGrains sign-in link handed out (<c>{PublicBaseUrl}/oauth/start/{ticket}</c>), encrypted, so that prompts repeat it.</summary>
    [Id(14)] public byte[] ProtectedSignInLink { get; set; } = [];

    /// <summary>SHA-256 of the binding secret of the browser that pressed Continue first; empty until one has.</summary>
    [Id(15)] public byte[] BrowserBindingHash { get; set; } = [];

    /// <summary>The label the host app gave the user, shown as the account on the confirmation page (null: the user id).</summary>
    [Id(16)] public string? UserLabel { get; set; }

    /// <summary>The authorization endpoint (no query): the confirmation page names its host.</summary>
    [Id(17)] public string AuthorizationEndpoint { get; set; } = "";

    /// <summary>
    /// The host app's binding mode when the flow began (<see cref="Configuration.SignInBindingModes"/>; empty: browser),
    /// kept with the flow so that a configuration change cannot weaken a flow already handed out.
    /// </summary>
    [Id(18)] public string Binding { get; set; } = "";

    /// <summary>Binding mode oidc: the identity the host app named, which the organization's sign-in must show.</summary>
    [Id(19)] public string? ExpectedIdentity { get; set; }

    public override string ToString() => $"PendingAuthorization {{ Issuer = {ExpectedIssuer}, ExpiresAt = {ExpiresAt:O} }}";
}
