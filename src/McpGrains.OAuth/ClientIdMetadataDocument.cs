using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGrains.OAuth;

/// <summary>
/// OAuth Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; MCP 2025-11-25 client
/// registration): the <c>client_id</c> is an HTTPS URL serving this JSON document, used instead of dynamic
/// registration when the authorization server advertises <c>client_id_metadata_document_supported</c>.
/// </summary>
public static class ClientIdMetadataDocument
{
    private static readonly JsonSerializerOptions DocumentSerializerOptions = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// The document McpGrains serves at <paramref name="clientIdUrl"/>: <c>client_id</c> (the URL exactly, as
    /// given), <c>client_name</c>, <c>redirect_uris</c>, <c>grant_types</c> authorization_code and refresh_token,
    /// <c>response_types</c> code, <c>token_endpoint_auth_method</c> none (a public client: there is no secret) and
    /// <c>application_type</c> web. Validate the URL with <see cref="IsValidClientIdUrl"/> first.
    /// </summary>
    public static string Create(string clientIdUrl, string clientName, string redirectUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientIdUrl);
        ArgumentException.ThrowIfNullOrEmpty(clientName);
        ArgumentException.ThrowIfNullOrEmpty(redirectUri);
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect) || redirect.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException("The redirect URI must be an absolute http(s) URL.", nameof(redirectUri));
        }

        var document = WebClientMetadata.Create(clientName, redirectUri, TokenEndpointAuthMethods.None);
        document.Extensions["client_id"] = JsonSerializer.SerializeToElement(clientIdUrl);
        return JsonSerializer.Serialize(document, DocumentSerializerOptions);
    }

    /// <summary>
    /// True when <paramref name="url"/> can be a client ID metadata document URL: absolute <c>https</c> with a path
    /// other than <c>/</c>, no fragment, no user info, no <c>.</c> or <c>..</c> path segments. <c>http</c> is accepted
    /// only for a loopback host and only when <paramref name="allowInsecureLoopback"/> is set (development).
    /// </summary>
    public static bool IsValidClientIdUrl(string url, bool allowInsecureLoopback = false)
    {
        if (string.IsNullOrWhiteSpace(url)
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Fragment.Length > 0
            || url.Contains('#', StringComparison.Ordinal)
            || uri.UserInfo.Length > 0)
        {
            return false;
        }

        var secure = string.Equals(uri.Scheme, Uri.UriSchemeHttps, StringComparison.Ordinal);
        var insecureLoopback = allowInsecureLoopback && string.Equals(uri.Scheme, Uri.UriSchemeHttp, StringComparison.Ordinal) && uri.IsLoopback;
        if (!secure && !insecureLoopback)
        {
            return false;
        }

        var path = uri.AbsolutePath;
        if (path.Length == 0 || path == "/")
        {
            return false;
        }

        // Uri removes dot segments, so look at the path as written (before any query).
        var rawPath = RawPath(url);
        foreach (var segment in rawPath.Split('/'))
        {
            var decoded = segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
            if (decoded is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    private static string RawPath(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var afterAuthority = schemeEnd < 0 ? -1 : url.IndexOf('/', schemeEnd + 3);
        if (afterAuthority < 0)
        {
            return string.Empty;
        }

        var queryStart = url.IndexOf('?', afterAuthority);
        return queryStart < 0 ? url[afterAuthority..] : url[afterAuthority..queryStart];
    }
}
