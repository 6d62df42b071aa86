using System.Collections.Concurrent;
using System.Text.Json;

namespace McpGrains.Testing;

/// <summary>
/// Calls of the <c>respond</c> tool (<c>{"group": "...", "status": 401}</c>) of a <see cref="ProtectedMcpServer"/>
/// with <see cref="ProtectedMcpServerOptions.HoldRespondCalls"/>: each is held at the server's door, after its token
/// was checked, until the test releases its group and status. The first call released for a (group, status) is
/// answered with that HTTP status (401 <c>invalid_token</c>, 403 <c>insufficient_scope</c>, anything else without
/// a body); later ones, such as a client's retry, reach the tool, which answers <c>"{status} passed"</c>. So a test
/// can put several calls in flight together and decide which answer each one meets, and in which order.
/// </summary>
public sealed class HeldAnswers
{
    public const string ToolName = "respond";

    private readonly ConcurrentDictionary<(string Group, int Status), Door> _doors = new();
    private readonly ConcurrentDictionary<string, Arrivals> _arrivals = new(StringComparer.Ordinal);

    /// <summary>Completes once <paramref name="count"/> calls of <paramref name="group"/> are held.</summary>
    public Task WaitForHeldAsync(string group, int count, CancellationToken cancellationToken = default) =>
        _arrivals.GetOrAdd(group, _ => new Arrivals()).WhenArrived(count).WaitAsync(cancellationToken);

    /// <summary>Lets the held calls of (<paramref name="group"/>, <paramref name="status"/>) through: the first gets the status.</summary>
    public void Release(string group, int status) => DoorOf(group, status).Open.TrySetResult();

    /// <summary>Holds a <c>respond</c> call until released; the HTTP status to answer it with, or null to let it reach the tool.</summary>
    internal async Task<int?> PassAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        if (arguments.ValueKind != JsonValueKind.Object
            || !arguments.TryGetProperty("group", out var groupElement) || groupElement.GetString() is not { } group
            || !arguments.TryGetProperty("status", out var statusElement) || !statusElement.TryGetInt32(out var status))
        {
            return null;
        }

        var door = DoorOf(group, status);
        _arrivals.GetOrAdd(group, _ => new Arrivals()).Arrive();
        await door.Open.Task.WaitAsync(cancellationToken);
        return Interlocked.Exchange(ref door.Answered, 1) == 0 ? status : null;
    }

    private Door DoorOf(string group, int status) => _doors.GetOrAdd((group, status), _ => new Door());

    private sealed class Door
    {
        public readonly TaskCompletionSource Open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Answered;
    }

    private sealed class Arrivals
    {
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _reached = new();
        private int _count;

        public void Arrive()
        {
            var count = Interlocked.Increment(ref _count);
            Reached(count).TrySetResult();
        }

        public Task WhenArrived(int count) => Reached(count).Task;

        private TaskCompletionSource Reached(int count) =>
            _reached.GetOrAdd(count, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
