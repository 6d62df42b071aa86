using McpGrains.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.SignIn;

/// <summary>
/// Names and scopes McpGrains' browser cookies (the sign-in binding cookie and the anti-forgery cookie) by the
/// public URL, not by the request: behind a TLS-terminating proxy the request is http while the browser is on https.
/// Under an https <c>PublicBaseUrl</c> a cookie is <c>Secure</c> with the <c>__Host-</c> prefix, which browsers accept
/// only with <c>Path=/</c> and no Domain (so no sibling host can plant or shadow it). Under http (development on
/// loopback) it has a plain name and <c>Path=/oauth</c>, so it is sent to the sign-in and callback pages only.
/// </summary>
public sealed class BrowserCookiePolicy
{
    public const string HostPrefix = "__Host-";
    public const string DevelopmentPath = "/oauth";

    public BrowserCookiePolicy(IOptions<McpGrainsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Secure = Uri.TryCreate(options.Value.PublicBaseUrl, UriKind.Absolute, out var publicBase) && publicBase.Scheme == Uri.UriSchemeHttps;
    }

    public bool Secure { get; }

    public string Path => Secure ? "/" : DevelopmentPath;

    public string Name(string baseName) => Secure ? HostPrefix + baseName : baseName;

    /// <summary>HttpOnly, scoped as above; <paramref name="expires"/> null: deleted now.</summary>
    public CookieOptions Options(SameSiteMode sameSite, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = Secure,
        SameSite = sameSite,
        Path = Path,
        IsEssential = true,
        Expires = expires ?? DateTimeOffset.UnixEpoch,
    };
}
