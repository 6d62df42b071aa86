using System.Collections.Concurrent;
using System.Reflection;
using Orleans;

namespace McpGrains.Gateway.Tests.Infrastructure;

/// <summary>
/// An <see cref="IGrainFactory"/> that hands out <see cref="FakeSessionGrain"/>s and records every key asked for, so a
/// test can prove that a request reached no grain at all. Any other use of the factory fails the test.
/// </summary>
public class RecordingGrainFactory : DispatchProxy
{
    private readonly ConcurrentQueue<string> _requestedKeys = new();
    private readonly ConcurrentDictionary<string, FakeSessionGrain> _sessions = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> RequestedKeys => _requestedKeys;

    public Func<string, FakeSessionGrain> CreateSession { get; set; } = key => new FakeSessionGrain(key);

    public FakeSessionGrain Session(McpSessionKey key) => _sessions.GetOrAdd(key.Format(), k => CreateSession(k));

    public static (IGrainFactory Factory, RecordingGrainFactory Recorder) Create()
    {
        var factory = Create<IGrainFactory, RecordingGrainFactory>();
        return (factory, (RecordingGrainFactory)(object)factory);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true }
            && targetMethod.GetGenericArguments()[0] == typeof(IMcpSessionGrain)
            && args is [string key, ..])
        {
            _requestedKeys.Enqueue(key);
            return SessionGrainProxy.Wrap(_sessions.GetOrAdd(key, k => CreateSession(k)));
        }

        throw new NotSupportedException($"The gateway is expected to ask only for session grains, not {targetMethod}.");
    }
}
