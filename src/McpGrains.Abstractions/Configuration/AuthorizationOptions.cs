namespace McpGrains.Configuration;

/// <summary><c>McpGrains:Authorization</c>: timings of the OAuth client.</summary>
public sealed class AuthorizationOptions
{
    /// <summary>How long a pending authorization (and its state value) stays valid.</summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// An access token this close to expiry is refreshed before use; a token living less than four times this long is
    /// refreshed a quarter of its lifetime before expiry instead (see <c>OAuthSessionStateMachine.RefreshReserveDivisor</c>),
    /// so that short-lived tokens are not refreshed on every call. A token without <c>expires_in</c> is used until the
    /// server refuses it.
    /// </summary>
    public TimeSpan RefreshSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Refresh idle sessions before their access token lapses (a durable reminder per session holding a refresh
    /// token), so that tools do not silently vanish. Off: tokens are refreshed only when used.
    /// </summary>
    public bool ProactiveRefresh { get; set; } = true;

    /// <summary>How often each such session checks; a token expiring before the next check (plus the skew) is refreshed. At least one minute.</summary>
    public TimeSpan ProactiveRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The URL of McpGrains' OAuth Client ID Metadata Document, used as its <c>client_id</c> with authorization
    /// servers that support it (<c>client_id_metadata_document_supported</c>). Default:
    /// <c>{PublicBaseUrl}/oauth/client-metadata.json</c> when PublicBaseUrl is https; empty turns the feature off.
    /// </summary>
    public string? ClientMetadataDocumentUrl { get; set; }

    /// <summary>How long a connections-page link (<c>POST /api/v1/users/{userId}/portal-links</c>) may wait to be opened.</summary>
    public TimeSpan PortalLinkLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the connections page keeps working in the browser that opened its link.</summary>
    public TimeSpan PortalSessionLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The <c>client_name</c> sent on dynamic registration.</summary>
    public string ClientName { get; set; } = "McpGrains";
}
