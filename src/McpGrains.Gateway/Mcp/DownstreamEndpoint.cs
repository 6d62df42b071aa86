using McpGrains.Downstream;
using Orleans;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// This front end as the cluster sees it (<see cref="IDownstreamEndpoint"/>): one grain observer for the process,
/// created at first use and kept alive here (Orleans holds observers weakly).
/// </summary>
internal sealed class DownstreamEndpoint : IDownstreamEndpoint
{
    private readonly Lazy<IDownstreamEndpoint> _reference;

    public DownstreamEndpoint(IGrainFactory grains)
    {
        _reference = new Lazy<IDownstreamEndpoint>(() => grains.CreateObjectReference<IDownstreamEndpoint>(this));
    }

    public CallStreams Calls { get; } = new();

    public DownstreamSessionCache Sessions { get; } = new();

    /// <summary>The reference other nodes call this front end by.</summary>
    public IDownstreamEndpoint Reference => _reference.Value;

    public Task OnCallMessageAsync(long callId, string messageJson)
    {
        Calls.Post(callId, messageJson);
        return Task.CompletedTask;
    }

    public Task DeliverCallMessageAsync(long callId, string messageJson) => OnCallMessageAsync(callId, messageJson);

    public Task OnSessionEndedAsync(string sessionHash)
    {
        Sessions.Forget(sessionHash);
        return Task.CompletedTask;
    }
}
