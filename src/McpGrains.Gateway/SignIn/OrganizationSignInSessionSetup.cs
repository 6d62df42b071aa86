using McpGrains.Configuration;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.SignIn;

/// <summary>
/// The cookie a browser holds after signing in at a host app's OpenID Connect provider (binding mode oidc): one per
/// host app, HttpOnly, SameSite=Lax (it comes along when a sign-in link is opened from the chat), scoped like
/// McpGrains' other browser cookies, and short-lived (<c>PendingLifetime</c>, not sliding): it only has to outlive the
/// sign-in links it opens. It never authenticates anything but the sign-in pages.
/// </summary>
internal sealed class OrganizationSignInSessionSetup(
    OrganizationSignIn signIn,
    BrowserCookiePolicy cookies,
    IOptions<McpGrainsOptions> options) : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    public void Configure(CookieAuthenticationOptions options)
    {
    }

    public void Configure(string? name, CookieAuthenticationOptions cookieOptions)
    {
        ArgumentNullException.ThrowIfNull(cookieOptions);
        if (!signIn.TryGetTenant(name, OrganizationSignIn.SessionSchemePrefix, out var tenantId, out _))
        {
            return;
        }

        cookieOptions.Cookie.Name = cookies.Name("mcpgrains-oidc-" + tenantId);
        cookieOptions.Cookie.Path = cookies.Path;
        cookieOptions.Cookie.HttpOnly = true;
        cookieOptions.Cookie.SameSite = SameSiteMode.Lax;
        cookieOptions.Cookie.SecurePolicy = cookies.Secure ? CookieSecurePolicy.Always : CookieSecurePolicy.None;
        cookieOptions.ExpireTimeSpan = options.Value.Authorization.PendingLifetime;
        cookieOptions.SlidingExpiration = false;
    }
}
