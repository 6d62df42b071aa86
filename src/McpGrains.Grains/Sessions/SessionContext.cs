using McpGrains.Configuration;
using Microsoft.Extensions.Logging;

namespace McpGrains.Grains.Sessions;

/// <summary>What every part of one session shares: its key, the configuration it runs under, its clock, log and metrics.</summary>
internal sealed class SessionContext(McpSessionKey key, McpGrainsOptions options, TimeProvider time, ILogger logger, SessionMetrics metrics)
{
    public McpSessionKey Key { get; } = key;

    public McpGrainsOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    /// <summary>The session grain's logger: every part logs under its category.</summary>
    public ILogger Logger { get; } = logger;

    public SessionMetrics Metrics { get; } = metrics;

    /// <summary>This session's server as configured (empty settings when it was removed from the configuration).</summary>
    public UpstreamServerOptions Server => Options.Servers.GetValueOrDefault(Key.ServerId) ?? new UpstreamServerOptions();

    /// <summary>The host app's settings (defaults when it has none of its own).</summary>
    public HostAppOptions HostApp => Options.HostApps.GetValueOrDefault(Key.TenantId) ?? new HostAppOptions();

    public string GrantType => Server.OAuth.GrantType;

    /// <summary>McpGrains' own token (client credentials, workload identity) serves every user of this server.</summary>
    public bool UsesSharedToken => UpstreamGrantTypes.IsShared(GrantType);

    /// <summary>Enterprise-managed authorization without the browser sign-in to fall back on.</summary>
    public bool IdentityAssertionOnly => GrantType == UpstreamGrantTypes.IdentityAssertion && !Server.OAuth.BrowserFallback;
}
