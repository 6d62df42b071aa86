namespace McpGrains.Grains.Servers;

/// <summary>The persisted state of one server grain. Names and [Id]s are a stored contract.</summary>
[GenerateSerializer, Alias("McpGrains.McpServerState")]
public sealed class McpServerState
{
    [Id(0)] public DiscoveredAuthorizationServer? Discovery { get; set; }

    [Id(1)] public ClientRegistrationRecord? Registration { get; set; }

    /// <summary>
    /// The issuer this server's configured client credentials belong to: the first one seen (or the configured
    /// <c>OAuth:Issuer</c> it was last used with). Kept across discoveries and resets.
    /// </summary>
    [Id(2)] public string? PinnedIssuer { get; set; }

    /// <summary>The token of a server whose users share McpGrains' own token (client credentials, workload identity).</summary>
    [Id(3)] public SharedToken? SharedToken { get; set; }
}
