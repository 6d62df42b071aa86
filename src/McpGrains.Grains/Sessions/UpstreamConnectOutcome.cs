using McpGrains.Grains.Upstream;

namespace McpGrains.Grains.Sessions;

/// <summary>A connection attempt: no failure (connected, or already was), or the answer to give and what the server said about the token.</summary>
internal readonly record struct UpstreamConnectOutcome(UpstreamResult? Failure, UpstreamExchange? Exchange)
{
    /// <summary>Not a connectivity problem: the server refused the token the handshake carried.</summary>
    public bool TokenRejected => Failure is not null && Exchange is { TokenRejected: true };
}
