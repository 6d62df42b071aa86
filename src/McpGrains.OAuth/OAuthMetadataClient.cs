using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Authentication;

namespace McpGrains.OAuth;

/// <summary>
/// The metadata documents of a protected resource (RFC 9728) and of an authorization server (RFC 8414, or OpenID Connect
/// discovery): well-known URLs, bounded fetches over the guarded HttpClient, strict parsing and validation. What MCP
/// makes of them (which resource is named, the 2025-03-26 fallback, PKCE) is <see cref="McpAuthorizationDiscovery"/>'s.
/// Not Duende's discovery client: it appends the well-known path after an issuer's path instead of inserting it before
/// (RFC 8414 section 3.1), and knows no protected-resource metadata. Failures throw <see cref="OAuthClientException"/>:
/// discovery_failed, or upstream_unavailable for network failures and timeouts.
/// </summary>
public sealed partial class OAuthMetadataClient
{
    private const string ProtectedResourceWellKnown = "/.well-known/oauth-protected-resource";
    private const string AuthorizationServerWellKnown = "/.well-known/oauth-authorization-server";
    private const string OpenIdConfigurationWellKnown = "/.well-known/openid-configuration";

    private readonly HttpClient _httpClient;
    private readonly OAuthHttpOptions _options;
    private readonly ILogger<OAuthMetadataClient> _logger;

    public OAuthMetadataClient(HttpClient httpClient, IOptions<OAuthHttpOptions> options, ILogger<OAuthMetadataClient> logger)
    {
        _httpClient = httpClient;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>RFC 9728 section 3.1: the path-inserted, then the root well-known URL of <paramref name="resource"/>.</summary>
    public static IReadOnlyList<Uri> GetProtectedResourceMetadataUrls(Uri resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var origin = resource.GetLeftPart(UriPartial.Authority);
        var pathAndQuery = resource.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped);
        var urls = new List<Uri>();
        if (pathAndQuery is not ("" or "/"))
        {
            urls.Add(new Uri(origin + ProtectedResourceWellKnown + pathAndQuery));
        }

        urls.Add(new Uri(origin + ProtectedResourceWellKnown));
        return urls;
    }

    /// <summary>RFC 8414 section 3.1 / OIDC discovery URLs for an issuer, in the order MCP prescribes.</summary>
    public static IReadOnlyList<Uri> GetAuthorizationServerMetadataUrls(Uri issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var origin = issuer.GetLeftPart(UriPartial.Authority);
        var path = issuer.GetComponents(UriComponents.Path | UriComponents.KeepDelimiter, UriFormat.UriEscaped).TrimEnd('/');
        if (path.Length == 0)
        {
            return [new Uri(origin + AuthorizationServerWellKnown), new Uri(origin + OpenIdConfigurationWellKnown)];
        }

        return
        [
            new Uri(origin + AuthorizationServerWellKnown + path),
            new Uri(origin + OpenIdConfigurationWellKnown + path),
            new Uri(origin + path + OpenIdConfigurationWellKnown),
        ];
    }

    /// <summary>The document at the URL a <c>WWW-Authenticate</c> challenge named (RFC 9728 section 5.1); any answer but 2xx is discovery_failed.</summary>
    public async Task<ProtectedResourceMetadata> GetProtectedResourceMetadataAsync(Uri metadataUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(metadataUrl);
        using var response = await GetJsonAsync(metadataUrl, "protected resource metadata", ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new OAuthClientException(
                SessionErrorCodes.DiscoveryFailed,
                $"The resource_metadata URL {SafeUrl.Format(metadataUrl)} answered {(int)response.StatusCode}.");
        }

        return await ReadProtectedResourceMetadataAsync(response, metadataUrl, ct);
    }

    /// <summary>The document at the first of <see cref="GetProtectedResourceMetadataUrls"/> that answers 2xx; null when none does.</summary>
    public async Task<ProtectedResourceMetadata?> FindProtectedResourceMetadataAsync(Uri resource, CancellationToken ct)
    {
        foreach (var candidate in GetProtectedResourceMetadataUrls(resource))
        {
            using var response = await GetJsonAsync(candidate, "protected resource metadata", ct);
            if (response.IsSuccessStatusCode)
            {
                return await ReadProtectedResourceMetadataAsync(response, candidate, ct);
            }
        }

        return null;
    }

    /// <summary>
    /// The metadata of <paramref name="issuer"/>: the first of <see cref="GetAuthorizationServerMetadataUrls"/> that
    /// answers 2xx with a document that parses and names exactly this issuer (RFC 8414 section 3.3); it must have
    /// absolute authorization and token endpoints. Documents that fail are skipped, and named in the error when none is left.
    /// </summary>
    public async Task<AuthorizationServerMetadata> GetAuthorizationServerMetadataAsync(string issuer, CancellationToken ct)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri) || issuerUri.Query.Length > 0 || issuerUri.Fragment.Length > 0)
        {
            throw new OAuthClientException(SessionErrorCodes.DiscoveryFailed, "The authorization server issuer is not an absolute URL without query or fragment.");
        }

        var problems = new List<string>();
        foreach (var candidate in GetAuthorizationServerMetadataUrls(issuerUri))
        {
            using var response = await GetJsonAsync(candidate, "authorization server metadata", ct);
            if (!response.IsSuccessStatusCode)
            {
                continue;
            }

            var body = await ReadBodyAsync(response, "authorization server metadata", ct);
            AuthorizationServerMetadata metadata;
            try
            {
                metadata = AuthorizationServerMetadata.Parse(body);
            }
            catch (OAuthClientException ex)
            {
                problems.Add($"{SafeUrl.Format(candidate)}: {ex.Message}");
                LogAuthorizationServerMetadataSkipped(_logger, SafeUrl.Format(candidate), ex.Message);
                continue;
            }

            if (!string.Equals(metadata.Issuer, issuer, StringComparison.Ordinal))
            {
                var reason = $"its issuer '{SafeUrl.Format(metadata.Issuer)}' is not the expected issuer '{SafeUrl.Format(issuer)}'";
                problems.Add($"{SafeUrl.Format(candidate)}: {reason}");
                LogAuthorizationServerMetadataSkipped(_logger, SafeUrl.Format(candidate), reason);
                continue;
            }

            RequireEndpoints(metadata);
            LogAuthorizationServerMetadataFound(_logger, issuer, SafeUrl.Format(candidate));
            return metadata;
        }

        throw new OAuthClientException(
            SessionErrorCodes.DiscoveryFailed,
            problems.Count == 0
                ? $"No authorization server metadata found for issuer '{SafeUrl.Format(issuer)}'."
                : $"No usable authorization server metadata for issuer '{SafeUrl.Format(issuer)}': {string.Join("; ", problems)}.");
    }

    /// <summary>
    /// The authorization server metadata document at <paramref name="metadataUrl"/> as published, for a caller with its
    /// own issuer rule: null on 404; any other answer but 2xx throws (upstream_unavailable for 5xx).
    /// </summary>
    public async Task<AuthorizationServerMetadata?> FindAuthorizationServerMetadataAtAsync(Uri metadataUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(metadataUrl);
        using var response = await GetJsonAsync(metadataUrl, "authorization server metadata", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            throw new OAuthClientException(
                status >= 500 ? SessionErrorCodes.UpstreamUnavailable : SessionErrorCodes.DiscoveryFailed,
                $"The authorization server metadata at {SafeUrl.Format(metadataUrl)} answered {status}.");
        }

        return AuthorizationServerMetadata.Parse(await ReadBodyAsync(response, "authorization server metadata", ct));
    }

    /// <summary>An authorization code flow needs absolute http(s) authorization and token endpoints; discovery_failed otherwise.</summary>
    public static void RequireEndpoints(AuthorizationServerMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!IsHttpUrl(metadata.AuthorizationEndpoint) || !IsHttpUrl(metadata.TokenEndpoint))
        {
            throw new OAuthClientException(
                SessionErrorCodes.DiscoveryFailed,
                $"The metadata of issuer '{SafeUrl.Format(metadata.Issuer)}' lacks an absolute authorization_endpoint or token_endpoint.");
        }
    }

    /// <summary>An absolute http(s) URL: on Unix, <see cref="Uri"/> also takes "/token" for an absolute file URL.</summary>
    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private async Task<ProtectedResourceMetadata> ReadProtectedResourceMetadataAsync(HttpResponseMessage response, Uri url, CancellationToken ct)
    {
        var prm = ProtectedResourceMetadataReader.Parse(await ReadBodyAsync(response, "protected resource metadata", ct));
        LogResourceMetadataFound(_logger, SafeUrl.Format(url), SafeUrl.Format(prm.Resource));
        return prm;
    }

    private Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string what, CancellationToken ct) =>
        UpstreamCall.ReadBodyAsync(response, _options.MaxResponseBytes, what, SessionErrorCodes.DiscoveryFailed, ct);

    private async Task<HttpResponseMessage> GetJsonAsync(Uri url, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        return await UpstreamCall.SendAsync(_httpClient, request, what, SessionErrorCodes.DiscoveryFailed, ct);
    }
}
