namespace McpGrains.Grains.Sessions;

/// <summary>A downstream session that hears this key's events, what its client can answer, and whether a GET stream reads it.</summary>
internal sealed record SessionRegistration(string SessionHash, DownstreamCapabilities Capabilities, bool HasStream, DateTimeOffset ExpiresAt);
