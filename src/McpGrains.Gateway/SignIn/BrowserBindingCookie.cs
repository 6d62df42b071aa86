using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using McpGrains.Security;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.SignIn;

/// <summary>
/// The browser-binding cookie of one sign-in flow, set by Continue and read by the callback: it carries the random
/// secret whose hash the session grain recorded when this browser claimed the flow. One cookie per flow (its name is
/// derived from the flow id), so one browser can run several sign-ins at once and none overwrites another. The value
/// is sealed with the key ring (AES-GCM, bound to the cookie's name), so any node reads it and no one can alter or
/// move it. HttpOnly; SameSite=Lax, so it comes back on the provider's top-level redirect to the callback.
/// </summary>
public sealed class BrowserBindingCookie
{
    private const string BaseName = "mcpgrains-signin-";
    private const int SecretBytes = 32;

    private readonly AesGcmSecretProtector _protector;
    private readonly BrowserCookiePolicy _policy;

    public BrowserBindingCookie(KeyRing keyRing, BrowserCookiePolicy policy)
    {
        _protector = new AesGcmSecretProtector(keyRing, "mcpgrains/sign-in-binding/v1");
        _policy = policy;
    }

    /// <summary>A new binding secret for a browser that has none for the flow.</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The cookie's name for a flow: a digest of the flow id, which it does not reveal.</summary>
    public string Name(AuthorizationState flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes("mcpgrains/sign-in-cookie/" + flow.FlowId));
        return _policy.Name(BaseName + Base64Url.EncodeToString(digest.AsSpan(0, 12)));
    }

    /// <summary>This browser's binding secret for the flow, or null when it sent none (or one that does not open).</summary>
    public string? Read(HttpContext context, AuthorizationState flow)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = Name(flow);
        if (!context.Request.Cookies.TryGetValue(name, out var value) || string.IsNullOrEmpty(value) || value.Length > 512)
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(Base64Url.DecodeFromChars(value), name);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Sets the cookie until the flow lapses.</summary>
    public void Write(HttpContext context, AuthorizationState flow, string secret)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = Name(flow);
        context.Response.Cookies.Append(name, Base64Url.EncodeToString(_protector.Protect(secret, name)), _policy.Options(SameSiteMode.Lax, flow.ExpiresAt));
    }

    /// <summary>Removes the cookie when the browser sent one: the flow is over.</summary>
    public void Delete(HttpContext context, AuthorizationState flow)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = Name(flow);
        if (context.Request.Cookies.ContainsKey(name))
        {
            context.Response.Cookies.Append(name, string.Empty, _policy.Options(SameSiteMode.Lax, expires: null));
        }
    }
}
