using System.Text;

namespace McpGrains.OAuth;

/// <summary>Composes the authorization request URL handed to the user's browser (authorization code + PKCE S256).</summary>
public static class AuthorizationUrlBuilder
{
    /// <summary>
    /// The endpoint's own query parameters are kept (RFC 6749 section 3.1). Throws <see cref="OAuthClientException"/>
    /// (discovery_failed) unless the endpoint is https, or http on a loopback host with
    /// <see cref="AuthorizationUrlParameters.AllowInsecureLoopback"/>.
    /// </summary>
    public static string Build(AuthorizationUrlParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var endpoint = RequireBrowserSafeEndpoint(p.AuthorizationEndpoint, p.AllowInsecureLoopback);

        var query = new StringBuilder(endpoint.Query.TrimStart('?'));
        Append(query, "response_type", "code");
        Append(query, "client_id", p.ClientId);
        Append(query, "redirect_uri", p.RedirectUri);
        if (p.Scopes.Count > 0)
        {
            Append(query, "scope", string.Join(' ', p.Scopes));
        }

        Append(query, "state", p.State);
        Append(query, "code_challenge", p.CodeChallenge);
        Append(query, "code_challenge_method", Pkce.S256);
        if (p.Resource is not null)
        {
            Append(query, "resource", p.Resource);
        }

        var baseUrl = endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return baseUrl + "?" + query;
    }

    private static Uri RequireBrowserSafeEndpoint(string endpoint, bool allowInsecureLoopback)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            throw new OAuthClientException(SessionErrorCodes.DiscoveryFailed, "The authorization endpoint is not an absolute URL.");
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return uri;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && allowInsecureLoopback && UpstreamAddressPolicy.IsLoopbackHost(uri.Host))
        {
            return uri;
        }

        throw new OAuthClientException(
            SessionErrorCodes.DiscoveryFailed,
            $"Refused authorization endpoint with scheme '{uri.Scheme}': only https is allowed"
            + (allowInsecureLoopback ? " (http only on a loopback host)." : "."));
    }

    private static void Append(StringBuilder query, string name, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
    }
}
