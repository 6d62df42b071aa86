using McpGrains.Telemetry;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Authentication;

namespace McpGrains.OAuth;

/// <summary>
/// Finds out whether an MCP server needs authorization and, if so, which authorization server protects it (MCP
/// authorization 2025-03-26 .. 2025-11-25): what the MCP server says (the probe's 401 and its <c>WWW-Authenticate</c>
/// challenge, in McpAuthorizationDiscovery.Probe), then MCP's rules over the metadata documents that
/// <see cref="OAuthMetadataClient"/> fetches: the resource they name must be this server's, the 2025-03-26 fallback to
/// the server's origin, PKCE S256.
/// </summary>
public sealed partial class McpAuthorizationDiscovery
{
    public const string ProbeProtocolVersion = "2025-11-25";

    /// <summary>The first revision without initialize: requests carry their protocol version and capabilities in <c>_meta</c>.</summary>
    public const string StatelessProtocolVersion = "2026-07-28";

    private readonly HttpClient _httpClient;
    private readonly OAuthMetadataClient _metadata;
    private readonly ILogger<McpAuthorizationDiscovery> _logger;

    public McpAuthorizationDiscovery(HttpClient httpClient, OAuthMetadataClient metadata, ILogger<McpAuthorizationDiscovery> logger)
    {
        _httpClient = httpClient;
        _metadata = metadata;
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
        var authorizationServer = await _metadata.GetAuthorizationServerMetadataAsync(prm.AuthorizationServers[0], ct);
        RequirePkce(authorizationServer);
        // The resource indicator is the PRM's value exactly as published (it was checked against the MCP URL above).
        return new DiscoveryResult(true, prm.Resource!, prm, authorizationServer, challenge?.Scope);
    }

    private static void RequireAbsolute(Uri mcpServerUrl)
    {
        ArgumentNullException.ThrowIfNull(mcpServerUrl);
        if (!mcpServerUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The MCP server URL must be absolute.", nameof(mcpServerUrl));
        }
    }

    /// <summary>The challenge's <c>resource_metadata</c> URL when it names one, else the RFC 9728 well-known URLs.</summary>
    private async Task<ProtectedResourceMetadata?> FetchResourceMetadataAsync(Uri mcpServerUrl, string? challengeUrl, CancellationToken ct)
    {
        if (challengeUrl is null)
        {
            return await _metadata.FindProtectedResourceMetadataAsync(mcpServerUrl, ct);
        }

        if (!Uri.TryCreate(challengeUrl, UriKind.Absolute, out var explicitUrl))
        {
            throw new OAuthClientException(SessionErrorCodes.DiscoveryFailed, "The resource_metadata of the 401 challenge is not an absolute URL.");
        }

        return await _metadata.GetProtectedResourceMetadataAsync(explicitUrl, ct);
    }

    private async Task<(AuthorizationServerMetadata Metadata, bool UsesDefaults)> FetchLegacyAuthorizationServerAsync(Uri mcpServerUrl, CancellationToken ct)
    {
        // 2025-03-26: the authorization server is the MCP server's origin; the path is discarded.
        var origin = mcpServerUrl.GetLeftPart(UriPartial.Authority);
        var metadataUrl = OAuthMetadataClient.GetAuthorizationServerMetadataUrls(new Uri(origin))[0];
        var metadata = await _metadata.FindAuthorizationServerMetadataAtAsync(metadataUrl, ct);
        if (metadata is null)
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

        // 2025-03-26 derives the metadata URL from the MCP origin and has no issuer-equality rule; the issuer may carry
        // a path (<origin>/oauth) but must be on the MCP server's origin. It is recorded as is (RFC 9207 iss check).
        if (!IsSameOriginIssuer(metadata.Issuer, mcpServerUrl))
        {
            throw new OAuthClientException(
                SessionErrorCodes.DiscoveryFailed,
                $"The authorization server metadata at {SafeUrl.Format(metadataUrl)} names issuer '{SafeUrl.Format(metadata.Issuer)}', which is not on the MCP server's origin '{origin}'.");
        }

        OAuthMetadataClient.RequireEndpoints(metadata);
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
