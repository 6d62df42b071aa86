namespace McpGrains.Configuration;

/// <summary>
/// <c>McpGrains:Servers:&lt;id&gt;:OAuth:GrantType</c>: how McpGrains obtains the server's access tokens.
/// </summary>
public static class UpstreamGrantTypes
{
    /// <summary>Each user signs in through the browser (authorization code with PKCE); one token set per user.</summary>
    public const string AuthorizationCode = "authorization_code";

    /// <summary>McpGrains itself is the client (RFC 6749 section 4.4): one token per server, shared by all its users.</summary>
    public const string ClientCredentials = "client_credentials";

    /// <summary>A workload identity JWT (RFC 7523 section 2.1, SEP-1933): one token per server, shared by all its users.</summary>
    public const string JwtBearer = "jwt_bearer";

    /// <summary>
    /// Enterprise-managed authorization (SEP-990): the user's ID token from the host app is exchanged at the host app's
    /// identity provider for an identity assertion grant (RFC 8693), redeemed at the server's authorization server
    /// (RFC 7523). One token set per user, no browser.
    /// </summary>
    public const string IdentityAssertion = "identity_assertion";

    public static readonly string[] All = [AuthorizationCode, ClientCredentials, JwtBearer, IdentityAssertion];

    /// <summary>The grants whose token belongs to the server (McpGrains), not to a user.</summary>
    public static bool IsShared(string? grantType) => grantType is ClientCredentials or JwtBearer;
}

/// <summary><c>McpGrains:Servers:&lt;id&gt;:OAuth:Dpop</c>: sender-constrained tokens (RFC 9449).</summary>
public static class DpopModes
{
    /// <summary>DPoP when the authorization server advertises <c>dpop_signing_alg_values_supported</c>.</summary>
    public const string Auto = "auto";

    /// <summary>DPoP always; a server that issues a Bearer token instead is refused.</summary>
    public const string Required = "required";

    public const string Off = "off";

    public static readonly string[] All = [Auto, Required, Off];
}
