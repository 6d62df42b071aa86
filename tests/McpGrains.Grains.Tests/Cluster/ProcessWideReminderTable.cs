using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Runtime;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>
/// An Orleans reminder table in this process's memory, shared by the silos of one test cluster (keyed by service id),
/// outliving any one silo. Orleans' own in-memory table lives in a grain, so each silo's reminder service loads its
/// range with a grain call at start-up; under CI load that call failed or timed out, the service retried up to 30 s
/// later, and registrations meanwhile waited and failed "still initializing". Reading a dictionary cannot.
/// </summary>
public sealed class ProcessWideReminderTable : IReminderTable
{
    private static readonly ConcurrentDictionary<string, Table> Tables = new(StringComparer.Ordinal);

    private readonly Table _table;

    /// <param name="serviceId">Keeps clusters of one process apart: each TestCluster has its own service id.</param>
    public ProcessWideReminderTable(string serviceId) => _table = Tables.GetOrAdd(serviceId, _ => new Table());

    public Task<ReminderTableData> ReadRows(GrainId grainId) => Task.FromResult(_table.Read(entry => entry.GrainId == grainId));

    /// <summary>The rows whose grain hashes into (begin, end], wrapping around when begin is not below end (Orleans' ring ranges).</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) => Task.FromResult(_table.Read(entry =>
    {
        var hash = entry.GrainId.GetUniformHashCode();
        return begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
    }));

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => Task.FromResult(_table.ReadOne(grainId, reminderName));

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Task.FromResult<string?>(_table.Upsert(entry));
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => Task.FromResult(_table.Remove(grainId, reminderName, eTag));

    public Task TestOnlyClearTable()
    {
        _table.Clear();
        return Task.CompletedTask;
    }

    private sealed class Table
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<(GrainId, string), ReminderEntry> _rows = [];
        private long _version;

        public ReminderTableData Read(Func<ReminderEntry, bool> match)
        {
            lock (_gate)
            {
                return new ReminderTableData(_rows.Values.Where(match).Select(Copy).ToList());
            }
        }

        public ReminderEntry? ReadOne(GrainId grainId, string name)
        {
            lock (_gate)
            {
                return _rows.TryGetValue((grainId, name), out var row) ? Copy(row) : null;
            }
        }

        public string Upsert(ReminderEntry entry)
        {
            lock (_gate)
            {
                var row = Copy(entry);
                row.ETag = (++_version).ToString(CultureInfo.InvariantCulture);
                _rows[(entry.GrainId, entry.ReminderName)] = row;
                return row.ETag;
            }
        }

        public bool Remove(GrainId grainId, string name, string eTag)
        {
            lock (_gate)
            {
                return _rows.TryGetValue((grainId, name), out var row) && row.ETag == eTag && _rows.Remove((grainId, name));
            }
        }

        public void Clear()
        {
            lock (_gate)
            {
                _rows.Clear();
            }
        }

        private static ReminderEntry Copy(ReminderEntry entry) => new()
        {
            GrainId = entry.GrainId,
            ReminderName = entry.ReminderName,
            StartAt = entry.StartAt,
            Period = entry.Period,
            ETag = entry.ETag,
        };
    }
}
