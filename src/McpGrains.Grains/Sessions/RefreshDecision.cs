namespace McpGrains.Grains.Sessions;

/// <summary>How to answer a request for an access token.</summary>
public enum RefreshDecision
{
    /// <summary>The current access token is good beyond the skew.</summary>
    UseCurrent = 0,

    /// <summary>Refresh first (a refresh token is held).</summary>
    Refresh = 1,

    /// <summary>No tokens, or expired without a refresh token: the user must authorize.</summary>
    AuthorizationRequired = 2,
}
