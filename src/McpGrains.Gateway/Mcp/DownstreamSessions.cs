using McpGrains.Downstream;
using Orleans;

namespace McpGrains.Gateway.Mcp;

/// <summary>Resolves a session id to its session, from this front end's cache or from the session's grain.</summary>
internal sealed class DownstreamSessions(IGrainFactory grains, DownstreamEndpoint endpoint, TimeProvider time)
{
    /// <summary>The session, or null when the id is malformed, unknown, deleted or expired.</summary>
    public async ValueTask<(string Hash, DownstreamSessionInfo Info)?> ResolveAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!DownstreamSessionIds.IsWellFormed(sessionId))
        {
            return null;
        }

        var hash = DownstreamSessionIds.Hash(sessionId);
        var now = time.GetUtcNow();
        if (endpoint.Sessions.TryGetFresh(hash, now, out var cached))
        {
            return (hash, cached!);
        }

        var info = await grains.GetGrain<IDownstreamSessionGrain>(hash).ResolveAsync(endpoint.Reference, cancellationToken);
        if (info is null)
        {
            endpoint.Sessions.Forget(hash);
            return null;
        }

        endpoint.Sessions.Remember(hash, info, now);
        return (hash, info);
    }

    /// <summary>Records a new session (initialize) and returns its id, or the session cap that refused it.</summary>
    public async Task<(string SessionId, DownstreamSessionLimit? Refused)> StartAsync(DownstreamSessionInfo info, CancellationToken cancellationToken)
    {
        var sessionId = DownstreamSessionIds.Create();
        var hash = DownstreamSessionIds.Hash(sessionId);
        var refused = await grains.GetGrain<IDownstreamSessionGrain>(hash).StartAsync(info, cancellationToken);
        return (sessionId, refused);
    }

    public async Task<bool> EndAsync(string sessionHash, CancellationToken cancellationToken)
    {
        endpoint.Sessions.Forget(sessionHash);
        return await grains.GetGrain<IDownstreamSessionGrain>(sessionHash).EndAsync(cancellationToken);
    }
}
