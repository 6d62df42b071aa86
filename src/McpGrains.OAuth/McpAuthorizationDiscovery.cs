using System.Net;
using System.Net.Http.Headers;
using System.Text;
using McpGrains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.OAuth;

/// <summary>
/// Finds out whether an MCP server needs authorization and, if so, which authorization server protects it
/// (MCP authorization 2025-03-26 .. 2025-11-25: 401 trigger, RFC 9728 PRM, RFC 8414 / OIDC discovery).
/// </summary>
public sealed partial class McpAuthorizationDiscovery
{
    public const string ProbeProtocolVersion = "2025-11-25";

    /// <summary>The first revision without initialize: requests carry their protocol version and capabilities in <c>_meta</c>.</summary>
    public const string StatelessProtocolVersion = "2026-07-28";

    private static string DiscoverRequestJson(string protocolVersion) =>
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{\"_meta\":{"
        + $"\"io.modelcontextprotocol/protocolVersion\":{System.Text.Json.JsonSerializer.Serialize(protocolVersion)},"
        + "\"io.modelcontextprotocol/clientCapabilities\":{},"
        + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"McpGrains\",\"version\":\"1.0.0\"}}}}";

    private const string InitializeRequestJson =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"McpGrains","version":"1.0.0"}}}""";

    private const string ProtectedResourceWellKnown = "/.well-known/oauth-protected-resource";
    private const string AuthorizationServerWellKnown = "/.well-known/oauth-authorization-server";
    private const string OpenIdConfigurationWellKnown = "/.well-known/openid-configuration";

    private readonly HttpClient _httpClient;
    private readonly OAuthHttpOptions _options;
    private readonly ILogger<McpAuthorizationDiscovery> _logger;

    public McpAuthorizationDiscovery(HttpClient httpClient, IOptions<OAuthHttpOptions> options, ILogger<McpAuthorizationDiscovery> logger)
    {
        _httpClient = httpClient;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Probes <paramref name="mcpServerUrl"/> without credentials and, on 401, discovers its protected-resource and
    /// authorization-server metadata. Only a 401 means "authorization required"; any other 2xx or 4xx answer (400 from
    /// a 2026-07-28 server refusing the <c>initialize</c>, 404/405 after the SSE GET fallback, 403, ...) is reported as
    /// not required, as far as the probe can tell: a later 401/403 on a real request goes to
    /// <see cref="DiscoverFromChallengeAsync"/>. Throws <see cref="OAuthClientException"/> (discovery_failed,
    /// pkce_not_supported, upstream_unavailable for 5xx and network failures).
    /// </summary>
    public Task<DiscoveryResult> DiscoverAsync(Uri mcpServerUrl, CancellationToken ct) => DiscoverAsync(mcpServerUrl, protocolVersion: null, ct);

    /// <param name="protocolVersion">
    /// The revision the server is known to speak, when configured: from 2026-07-28 on the probe is a stateless
    /// <c>server/discover</c> carrying the per-request <c>_meta</c>, before that an <c>initialize</c>.
    /// </param>
    public async Task<DiscoveryResult> DiscoverAsync(Uri mcpServerUrl, string? protocolVersion, CancellationToken ct)
    {
        RequireAbsolute(mcpServerUrl);
        using var activity = McpGrainsTelemetry.StartOAuth("discovery");
        var (requiresAuthorization, challenge) = await ProbeAsync(mcpServerUrl, protocolVersion, ct);
        if (!requiresAuthorization)
        {
            return new DiscoveryResult(false, ResourceIndicator.Canonicalize(mcpServerUrl), null, null, null);
        }

        return await DiscoverAuthorizationAsync(mcpServerUrl, challenge, ct);
    }

    /// <summary>
    /// Discovery that starts from a 401 or 403 challenge observed on a real MCP request (no probe): the Bearer
    /// challenge of <paramref name="wwwAuthenticateHeaderValue"/> gives <c>resource_metadata</c> and <c>scope</c>;
    /// then, as in <see cref="DiscoverAsync"/>, PRM (the challenge's URL, else path-inserted then root well-known,
    /// else the 2025-03-26 origin metadata), authorization-server metadata and the PKCE check. The result always has
    /// <see cref="DiscoveryResult.RequiresAuthorization"/> true and <see cref="DiscoveryResult.ChallengeScope"/> = the
    /// challenge's <c>scope</c>. An empty or non-Bearer header is allowed (well-known discovery only).
    /// </summary>
    public async Task<DiscoveryResult> DiscoverFromChallengeAsync(Uri mcpServerUrl, string wwwAuthenticateHeaderValue, CancellationToken ct)
    {
        RequireAbsolute(mcpServerUrl);
        using var activity = McpGrainsTelemetry.StartOAuth("discovery");
        return await DiscoverAuthorizationAsync(mcpServerUrl, WwwAuthenticateChallenge.Parse(wwwAuthenticateHeaderValue), ct);
    }

    private async Task<DiscoveryResult> DiscoverAuthorizationAsync(Uri mcpServerUrl, WwwAuthenticateChallenge? challenge, CancellationToken ct)
    {
        var canonical = ResourceIndicator.Canonicalize(mcpServerUrl);
        var prm = await FetchResourceMetadataAsync(mcpServerUrl, challenge?.ResourceMetadata, ct);
        if (prm is null)
        {
            LogResourceMetadataNotFound(_logger, SafeUrl.Format(mcpServerUrl));
            var (legacy, usesDefaults) = await FetchLegacyAuthorizationServerAsync(mcpServerUrl, ct);
            RequirePkce(legacy);
            return new DiscoveryResult(true, canonical, null, legacy, challenge?.Scope) { UsesDefaultEndpoints = usesDefaults };
        }

        if (!ResourceIndicator.Matches(prm.Resource, mcpServerUrl))
        {
            throw new OAuthClientException(
                SessionErrorCodes.DiscoveryFailed,
                $"The protected resource metadata names resource '{SafeUrl.Format(prm.Resource)}', which is not the MCP server URL '{canonical}' nor a same-origin prefix of it.");
        }

        if (prm.AuthorizationServers.Count == 0)
        {
            throw new OAuthClientException(SessionErrorCodes.DiscoveryFailed, "The protected resource metadata lists no authorization_servers.");
        }

        // Several authorization servers are independent; the first one is used (registration is per issuer).
        var authorizationServer = await FetchAuthorizationServerMetadataAsync(prm.AuthorizationServers[0], ct);
        RequirePkce(authorizationServer);
        // The resource indicator is the PRM's value exactly as published (it was checked against the MCP URL above).
        var resource = prm.Resource;
        return new DiscoveryResult(true, resource, prm, authorizationServer, challenge?.Scope);
    }

    private static void RequireAbsolute(Uri mcpServerUrl)
    {
        ArgumentNullException.ThrowIfNull(mcpServerUrl);
        if (!mcpServerUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The MCP server URL must be absolute.", nameof(mcpServerUrl));
        }
    }

    /// <summary>Path-inserted then root RFC 9728 well-known URLs for <paramref name="mcpServerUrl"/>.</summary>
    public static IReadOnlyList<Uri> GetProtectedResourceMetadataUrls(Uri mcpServerUrl)
    {
        ArgumentNullException.ThrowIfNull(mcpServerUrl);
        var origin = mcpServerUrl.GetLeftPart(UriPartial.Authority);
        var pathAndQuery = mcpServerUrl.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped);
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

    private async Task<(bool RequiresAuthorization, WwwAuthenticateChallenge? Challenge)> ProbeAsync(Uri url, string? protocolVersion, CancellationToken ct)
    {
        var stateless = string.CompareOrdinal(protocolVersion, StatelessProtocolVersion) >= 0;
        using (var post = new HttpRequestMessage(HttpMethod.Post, url))
        {
            post.Content = new StringContent(stateless ? DiscoverRequestJson(protocolVersion!) : InitializeRequestJson, Encoding.UTF8);
            post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            post.Headers.Accept.ParseAdd("application/json");
            post.Headers.Accept.ParseAdd("text/event-stream");
            post.Headers.TryAddWithoutValidation("MCP-Protocol-Version", stateless ? protocolVersion : ProbeProtocolVersion);
            post.Headers.TryAddWithoutValidation("Mcp-Method", stateless ? "server/discover" : "initialize");
            using var response = await UpstreamCall.SendAsync(_httpClient, post, "MCP server", SessionErrorCodes.DiscoveryFailed, ct);
            LogProbeResult(_logger, "POST", SafeUrl.Format(url), (int)response.StatusCode);
            if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed))
            {
                var outcome = InterpretProbe(response, url);
                if (!outcome.RequiresAuthorization
                    && response.Headers.TryGetValues("Mcp-Session-Id", out var sessionIds)
                    && sessionIds.FirstOrDefault() is { Length: > 0 } sessionId)
                {
                    await DeleteProbeSessionAsync(url, sessionId, ct);
                }

                return outcome;
            }
        }

        // Legacy HTTP+SSE servers (2024-11-05) only answer GET with an event stream.
        using var get = new HttpRequestMessage(HttpMethod.Get, url);
        get.Headers.Accept.ParseAdd("text/event-stream");
        using var getResponse = await UpstreamCall.SendAsync(_httpClient, get, "MCP server", SessionErrorCodes.DiscoveryFailed, ct);
        LogProbeResult(_logger, "GET", SafeUrl.Format(url), (int)getResponse.StatusCode);
        return InterpretProbe(getResponse, url);
    }

    private static (bool RequiresAuthorization, WwwAuthenticateChallenge? Challenge) InterpretProbe(HttpResponseMessage response, Uri url)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return (true, WwwAuthenticateChallenge.Parse(response.Headers));
        }

        if (status is >= 300 and < 400)
        {
            throw new OAuthClientException(
                SessionErrorCodes.DiscoveryFailed,
                $"The MCP server at {SafeUrl.Format(url)} answered with redirect {status}; redirects are not followed, configure the final URL.");
        }

        if (status >= 500)
        {
            throw new OAuthClientException(SessionErrorCodes.UpstreamUnavailable, $"The MCP server at {SafeUrl.Format(url)} answered {status}.");
        }

        // 2xx, or a 4xx other than 401 (400 from a server that refuses this protocol version's initialize, 403, 404,
        // 405, 406, ...): nothing says authorization is required. A 401/403 on a real request is handled by
        // DiscoverFromChallengeAsync.
        return (false, null);
    }

    private async Task DeleteProbeSessionAsync(Uri url, string sessionId, CancellationToken ct)
    {
        try
        {
            using var delete = new HttpRequestMessage(HttpMethod.Delete, url);
            delete.Headers.TryAddWithoutValidation("Mcp-Session-Id", sessionId);
            delete.Headers.TryAddWithoutValidation("MCP-Protocol-Version", ProbeProtocolVersion);
            using var response = await _httpClient.SendAsync(delete, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogSessionDeleteFailed(_logger, SafeUrl.Format(url), ex);
        }
    }

    private async Task<ProtectedResourceMetadata?> FetchResourceMetadataAsync(Uri mcpServerUrl, string? challengeUrl, CancellationToken ct)
    {
        if (challengeUrl is not null)
        {
            if (!Uri.TryCreate(challengeUrl, UriKind.Absolute, out var explicitUrl))
            {
                throw new OAuthClientException(SessionErrorCodes.DiscoveryFailed, "The resource_metadata of the 401 challenge is not an absolute URL.");
            }

            using var response = await GetJsonAsync(explicitUrl, "protected resource metadata", ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new OAuthClientException(
                    SessionErrorCodes.DiscoveryFailed,
                    $"The resource_metadata URL {SafeUrl.Format(explicitUrl)} answered {(int)response.StatusCode}.");
            }

            return await ReadResourceMetadataAsync(response, explicitUrl, ct);
        }

        foreach (var candidate in GetProtectedResourceMetadataUrls(mcpServerUrl))
        {
            using var response = await GetJsonAsync(candidate, "protected resource metadata", ct);
            if (response.IsSuccessStatusCode)
            {
                return await ReadResourceMetadataAsync(response, candidate, ct);
            }
        }

        return null;
    }

    private async Task<ProtectedResourceMetadata> ReadResourceMetadataAsync(HttpResponseMessage response, Uri url, CancellationToken ct)
    {
        var body = await UpstreamCall.ReadBodyAsync(response, _options.MaxResponseBytes, "protected resource metadata", SessionErrorCodes.DiscoveryFailed, ct);
        var prm = ProtectedResourceMetadata.Parse(body);
        LogResourceMetadataFound(_logger, SafeUrl.Format(url), SafeUrl.Format(prm.Resource));
        return prm;
    }

    private async Task<AuthorizationServerMetadata> FetchAuthorizationServerMetadataAsync(string issuer, CancellationToken ct)
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

            var body = await UpstreamCall.ReadBodyAsync(response, _options.MaxResponseBytes, "authorization server metadata", SessionErrorCodes.DiscoveryFailed, ct);
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

            // RFC 8414 section 3.3: the issuer must be identical to the one the URL was built from.
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

    private async Task<(AuthorizationServerMetadata Metadata, bool UsesDefaults)> FetchLegacyAuthorizationServerAsync(Uri mcpServerUrl, CancellationToken ct)
    {
        // 2025-03-26: the authorization server is the MCP server's origin; the path is discarded.
        var origin = mcpServerUrl.GetLeftPart(UriPartial.Authority);
        var metadataUrl = new Uri(origin + AuthorizationServerWellKnown);
        using var response = await GetJsonAsync(metadataUrl, "authorization server metadata", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            LogLegacyDefaultEndpoints(_logger, origin);

            // No metadata document to consult: OAuth 2.1 (which 2025-03-26 requires) mandates PKCE S256, so assume it.
            var defaults = new AuthorizationServerMetadata
            {
                Issuer = origin,
                AuthorizationEndpoint = origin + "/authorize",
                TokenEndpoint = origin + "/token",
                RegistrationEndpoint = origin + "/register",
                CodeChallengeMethodsSupported = [Pkce.S256],
                ResponseTypesSupported = ["code"],
                GrantTypesSupported = ["authorization_code", "refresh_token"],
            };
            return (defaults, true);
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            throw new OAuthClientException(
                status >= 500 ? SessionErrorCodes.UpstreamUnavailable : SessionErrorCodes.DiscoveryFailed,
                $"The authorization server metadata at {SafeUrl.Format(metadataUrl)} answered {status}.");
        }

        var body = await UpstreamCall.ReadBodyAsync(response, _options.MaxResponseBytes, "authorization server metadata", SessionErrorCodes.DiscoveryFailed, ct);
        var metadata = AuthorizationServerMetadata.Parse(body);

        // 2025-03-26 derives the metadata URL from the MCP origin and has no issuer-equality rule; the issuer may carry
        // a path (<origin>/oauth) but must be on the MCP server's origin. It is recorded as is (RFC 9207 iss check).
        if (!IsSameOriginIssuer(metadata.Issuer, mcpServerUrl))
        {
            throw new OAuthClientException(
                SessionErrorCodes.DiscoveryFailed,
                $"The authorization server metadata at {SafeUrl.Format(metadataUrl)} names issuer '{SafeUrl.Format(metadata.Issuer)}', which is not on the MCP server's origin '{origin}'.");
        }

        RequireEndpoints(metadata);
        LogAuthorizationServerMetadataFound(_logger, metadata.Issuer, SafeUrl.Format(metadataUrl));
        return (metadata, false);
    }

    private static bool IsSameOriginIssuer(string issuer, Uri mcpServerUrl) =>
        Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri)
        && issuerUri.Query.Length == 0
        && issuerUri.Fragment.Length == 0
        && issuerUri.UserInfo.Length == 0
        && string.Equals(issuerUri.Scheme, mcpServerUrl.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(issuerUri.Host, mcpServerUrl.Host, StringComparison.OrdinalIgnoreCase)
        && issuerUri.Port == mcpServerUrl.Port;

    private async Task<HttpResponseMessage> GetJsonAsync(Uri url, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        return await UpstreamCall.SendAsync(_httpClient, request, what, SessionErrorCodes.DiscoveryFailed, ct);
    }

    private static void RequireEndpoints(AuthorizationServerMetadata metadata)
    {
        if (!Uri.TryCreate(metadata.AuthorizationEndpoint, UriKind.Absolute, out _)
            || !Uri.TryCreate(metadata.TokenEndpoint, UriKind.Absolute, out _))
        {
            throw new OAuthClientException(
                SessionErrorCodes.DiscoveryFailed,
                $"The metadata of issuer '{SafeUrl.Format(metadata.Issuer)}' lacks an absolute authorization_endpoint or token_endpoint.");
        }
    }

    private static void RequirePkce(AuthorizationServerMetadata metadata)
    {
        if (!Pkce.IsS256Supported(metadata))
        {
            throw new OAuthClientException(
                SessionErrorCodes.PkceNotSupported,
                $"The authorization server '{SafeUrl.Format(metadata.Issuer)}' does not advertise PKCE S256 in code_challenge_methods_supported; MCP requires it.");
        }
    }
}
