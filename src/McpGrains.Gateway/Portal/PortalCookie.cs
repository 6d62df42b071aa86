using System.Security.Cryptography;
using System.Buffers.Text;
using McpGrains.Gateway.SignIn;
using McpGrains.Security;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.Portal;

/// <summary>
/// The connections-page cookie: which link this browser opened and the random secret whose hash the link's grain
/// recorded then, sealed with the key ring (bound to the cookie's name) so that any node reads it and nobody can alter
/// or forge one. One per browser: opening another link replaces it. HttpOnly and SameSite=Lax (the link arrives as a
/// top-level navigation from the host app; Strict would drop the cookie on the redirect to the page), scoped like the
/// sign-in cookies (<see cref="BrowserCookiePolicy"/>).
/// </summary>
public sealed class PortalCookie
{
    private const string BaseName = "mcpgrains-portal";
    private const char Separator = '|';

    private readonly AesGcmSecretProtector _protector;
    private readonly BrowserCookiePolicy _policy;

    public PortalCookie(KeyRing keyRing, BrowserCookiePolicy policy)
    {
        _protector = new AesGcmSecretProtector(keyRing, "mcpgrains/portal-binding/v1");
        _policy = policy;
    }

    private string Name => _policy.Name(BaseName);

    /// <summary>The link id and binding secret this browser holds, or null.</summary>
    public (string LinkId, string Secret)? Read(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Cookies.TryGetValue(Name, out var value) || string.IsNullOrEmpty(value) || value.Length > 512)
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(Base64Url.DecodeFromChars(value), Name).Split(Separator) is [var linkId, var secret]
                ? (linkId, secret)
                : null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }

    public void Write(HttpContext context, string linkId, string secret, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sealedValue = _protector.Protect(linkId + Separator + secret, Name);
        context.Response.Cookies.Append(Name, Base64Url.EncodeToString(sealedValue), _policy.Options(SameSiteMode.Lax, expiresAt));
    }

    public void Delete(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Cookies.ContainsKey(Name))
        {
            context.Response.Cookies.Append(Name, string.Empty, _policy.Options(SameSiteMode.Lax, expires: null));
        }
    }
}
