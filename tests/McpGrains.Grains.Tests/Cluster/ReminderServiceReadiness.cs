using System.Collections.Concurrent;
using Orleans.Reminders.Diagnostics;
using Orleans.TestingHost;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>
/// Waits until Orleans' reminder service has loaded its range on every silo of a cluster (its public
/// <see cref="ReminderEvents.ServiceEvents"/>). Until then a registration waits 20 s and fails "still initializing",
/// and an initial load that failed at a busy start-up is retried up to 30 s later: under CI load a sign-in callback's
/// reminder registration outlasted the callback's 30-second call. A fixture waits for it once, before its tests (with
/// <see cref="ProcessWideReminderTable"/> the load is a dictionary read; this is the guard that says so if it is not).
/// Subscribe before the silos start: a silo whose service started earlier is never reported.
/// </summary>
internal sealed class ReminderServiceReadiness : IObserver<ReminderEvents.ReminderServiceEvent>, IDisposable
{
    private readonly ConcurrentDictionary<SiloAddress, TaskCompletionSource> _started = new();
    private readonly IDisposable _subscription;

    public ReminderServiceReadiness() => _subscription = ReminderEvents.ServiceEvents.Subscribe(this);

    public async Task WaitAsync(TestCluster cluster, TimeSpan timeout)
    {
        foreach (var silo in cluster.Silos)
        {
            try
            {
                await Started(silo.SiloAddress).Task.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Orleans' reminder service on silo {silo.SiloAddress} did not finish loading within {timeout}.");
            }
        }
    }

    public void OnNext(ReminderEvents.ReminderServiceEvent value)
    {
        if (value is ReminderEvents.ReminderServiceStarted { SiloAddress: { } silo })
        {
            Started(silo).TrySetResult();
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => _subscription.Dispose();

    private TaskCompletionSource Started(SiloAddress silo) =>
        _started.GetOrAdd(silo, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
