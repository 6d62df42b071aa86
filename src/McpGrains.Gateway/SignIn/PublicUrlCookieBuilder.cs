using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.SignIn;

/// <summary>
/// A cookie builder whose <c>Secure</c> flag follows the public URL rather than the request (see
/// <see cref="BrowserCookiePolicy"/>); ASP.NET Core's own <c>CookieSecurePolicy.Always</c> refuses plain-http requests,
/// which is what a front end behind a TLS-terminating proxy receives.
/// </summary>
internal sealed class PublicUrlCookieBuilder(bool secure) : CookieBuilder
{
    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var options = base.Build(context, expiresFrom);
        options.Secure = secure;
        return options;
    }
}
