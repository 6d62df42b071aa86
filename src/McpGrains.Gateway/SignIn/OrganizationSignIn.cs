using McpGrains.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.SignIn;

/// <summary>
/// Binding mode oidc: before a sign-in link of such a host app shows its confirmation page, the browser signs in with
/// the host app's OpenID Connect provider (ASP.NET Core's OpenIdConnect handler, one scheme per host app), and the
/// configured claim of that sign-in is what the session grain compares with the identity the host app named. The
/// handler's state, nonce and correlation values and the short-lived session cookie it signs in to are protected by
/// Data Protection over McpGrains' key ring, so the provider may send the browser back to any node.
/// </summary>
public sealed class OrganizationSignIn(IOptions<McpGrainsOptions> options)
{
    public const string OidcSchemePrefix = "mcpgrains-oidc-";
    public const string SessionSchemePrefix = "mcpgrains-oidc-session-";

    /// <summary>Where the provider sends the browser back, per host app (under /oauth, where McpGrains' cookies are scoped).</summary>
    public static string CallbackPath(string tenantId) => "/oauth/oidc/" + tenantId;

    public static string OidcScheme(string tenantId) => OidcSchemePrefix + tenantId;

    public static string SessionScheme(string tenantId) => SessionSchemePrefix + tenantId;

    /// <summary>The host app's OpenID Connect settings when its binding mode is oidc, else null.</summary>
    public HostAppOidcOptions? For(string tenantId) =>
        options.Value.HostApps.GetValueOrDefault(tenantId) is { Binding: SignInBindingModes.Oidc } hostApp ? hostApp.Oidc : null;

    /// <summary>The tenant a scheme name of <paramref name="prefix"/> belongs to, when it is a host app in binding mode oidc.</summary>
    public bool TryGetTenant(string? schemeName, string prefix, out string tenantId, out HostAppOidcOptions oidc)
    {
        tenantId = schemeName is not null && schemeName.StartsWith(prefix, StringComparison.Ordinal) ? schemeName[prefix.Length..] : "";
        oidc = For(tenantId)!;
        // The session prefix starts with the OpenID Connect prefix: a session scheme is not an OpenID Connect scheme.
        return oidc is not null && (prefix == SessionSchemePrefix || !schemeName!.StartsWith(SessionSchemePrefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// The identity this browser signed in with at the host app's provider (the configured claim), or null when it has
    /// not signed in (or its sign-in lapsed). An e-mail claim the provider marks unverified counts as none.
    /// </summary>
    public async Task<string?> ReadIdentityAsync(HttpContext context, string tenantId, HostAppOidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(oidc);
        var result = await context.AuthenticateAsync(SessionScheme(tenantId));
        if (!result.Succeeded || result.Principal is not { } principal)
        {
            return null;
        }

        if (oidc.Claim == "email" && principal.FindFirst("email_verified") is { } verified && !string.Equals(verified.Value, "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return principal.FindFirst(oidc.Claim) is { Value.Length: > 0 } claim ? claim.Value : null;
    }

    /// <summary>Sends the browser to the provider, to come back to <paramref name="signInLink"/> signed in.</summary>
    public static IResult Challenge(string tenantId, string signInLink, bool selectAccount = false)
    {
        var properties = new AuthenticationProperties { RedirectUri = signInLink };
        if (selectAccount)
        {
            properties.SetParameter("prompt", "select_account");
        }

        return Results.Challenge(properties, [OidcScheme(tenantId)]);
    }

    /// <summary>Ends this browser's sign-in at McpGrains (not at the provider), so that another account can be used.</summary>
    public static Task SignOutAsync(HttpContext context, string tenantId) => context.SignOutAsync(SessionScheme(tenantId));
}
