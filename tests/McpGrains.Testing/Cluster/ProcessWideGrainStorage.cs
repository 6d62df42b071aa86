using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace McpGrains.Testing;

/// <summary>
/// Grain storage shared by every silo of the test process, so that state survives the death of the silo that wrote
/// it (the stock in-memory storage keeps state inside a grain on one silo). States are stored serialized, as a real
/// store would, with ETag checks, so that a non-serializable or conflicting write fails the test.
/// </summary>
public sealed class ProcessWideGrainStorage : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, (byte[] Data, string ETag)> Store = new(StringComparer.Ordinal);

    private readonly Serializer _serializer;
    private readonly string _scope;

    /// <param name="serviceId">Keeps clusters of one process apart: each TestCluster has its own service id.</param>
    public ProcessWideGrainStorage(Serializer serializer, string serviceId)
    {
        _serializer = serializer;
        _scope = serviceId;
    }

    /// <summary>How many states are stored, for tests that check what was written.</summary>
    public static int Count => Store.Count;

    /// <summary>Every stored state as raw bytes: lets tests search them for secrets.</summary>
    public static IReadOnlyList<byte[]> Snapshot() => Store.Values.Select(v => v.Data).ToArray();

    public static void Clear() => Store.Clear();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Store.TryGetValue(Key(stateName, grainId), out var entry))
        {
            grainState.State = _serializer.Deserialize<T>(entry.Data);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var data = _serializer.SerializeToArray(grainState.State);
        var etag = Guid.NewGuid().ToString("N");
        var expected = grainState.ETag;
        Store.AddOrUpdate(
            key,
            _ => expected is null ? (data, etag) : throw new InconsistentStateException($"State {key} was deleted concurrently.", "<none>", expected),
            (_, current) => current.ETag == expected ? (data, etag) : throw new InconsistentStateException($"State {key} was written concurrently.", current.ETag, expected ?? "<none>"));
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Store.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }

    private string Key(string stateName, GrainId grainId) => $"{_scope}|{stateName}|{grainId}";
}
