namespace McpGrains.Configuration;

/// <summary><c>McpGrains:HostApps:&lt;name&gt;:IdentityProvider</c>: the organization's identity provider (SEP-990).</summary>
public sealed class IdentityProviderOptions
{
    /// <summary>The identity provider's token endpoint (RFC 8693 token exchange).</summary>
    public string? TokenEndpoint { get; set; }

    /// <summary>McpGrains' client id at the identity provider.</summary>
    public string? ClientId { get; set; }

    /// <summary>McpGrains' client secret at the identity provider (client_secret_basic); none for a public client. A secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The request header on <c>/mcp</c> that carries the user's ID token (LibreChat: <c>{{LIBRECHAT_OPENID_ID_TOKEN}}</c>).</summary>
    public string AssertionHeader { get; set; } = DefaultAssertionHeader;

    public const string DefaultAssertionHeader = "X-Identity-Assertion";

    public override string ToString() => $"IdentityProviderOptions {{ TokenEndpoint = {TokenEndpoint}, ClientId = {ClientId}, HasSecret = {ClientSecret is not null}, AssertionHeader = {AssertionHeader} }}";
}
