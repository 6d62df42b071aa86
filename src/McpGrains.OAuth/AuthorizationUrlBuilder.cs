using Duende.IdentityModel;
using Duende.IdentityModel.Client;

namespace McpGrains.OAuth;

/// <summary>
/// Composes the authorization request URL handed to the user's browser (authorization code + PKCE S256, RFC 8707
/// <c>resource</c>) with Duende's <see cref="RequestUrlExtensions.CreateAuthorizeUrl"/>; the endpoint check is ours.
/// </summary>
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

        // Duende appends the parameters to the endpoint's own query; the fragment (which RFC 6749 forbids there) is dropped.
        var baseUrl = endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped);
        return new RequestUrl(baseUrl).CreateAuthorizeUrl(
            clientId: p.ClientId,
            responseType: OidcConstants.ResponseTypes.Code,
            scope: p.Scopes.Count > 0 ? string.Join(' ', p.Scopes) : null,
            redirectUri: p.RedirectUri,
            state: p.State,
            codeChallenge: p.CodeChallenge,
            codeChallengeMethod: Pkce.S256,
            extra: p.Resource is null ? null : new Parameters { { OidcConstants.AuthorizeRequest.Resource, p.Resource } });
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
}
