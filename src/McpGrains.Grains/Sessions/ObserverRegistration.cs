namespace McpGrains.Grains.Sessions;

/// <summary>A front end's observer, what its downstream clients can answer, and when the registration lapses.</summary>
internal sealed record ObserverRegistration(IMcpSessionObserver Observer, DownstreamCapabilities Capabilities, DateTimeOffset ExpiresAt);
