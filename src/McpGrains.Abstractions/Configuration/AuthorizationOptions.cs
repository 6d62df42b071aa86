namespace McpGrains.Configuration;

/// <summary><c>McpGrains:Authorization</c>: timings of the OAuth client.</summary>
public sealed class AuthorizationOptions
{
    /// <summary>How long a pending authorization (and its state value) stays valid.</summary>
    public TimeSpan PendingLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An access token this close to expiry is refreshed before use.</summary>
    public TimeSpan RefreshSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The <c>client_name</c> sent on dynamic registration.</summary>
    public string ClientName { get; set; } = "McpGrains";
}
