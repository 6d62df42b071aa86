using McpGrains.Downstream;

namespace McpGrains.Grains.Sessions;

/// <summary>A 2026-07-28 listen stream and when its registration lapses.</summary>
internal sealed record ListenerRegistration(DownstreamListener Listener, DateTimeOffset ExpiresAt);
