using McpGrains.Grains.Tests.Cluster;

namespace McpGrains.Grains.Tests;

/// <summary>The test clusters' reminder table: Orleans' range and ETag semantics.</summary>
public sealed class ProcessWideReminderTableTests
{
    [Fact]
    public async Task ReadRows_ByRange_TakesTheHashesIn_BeginExclusive_EndInclusive_WrappingAround()
    {
        var table = new ProcessWideReminderTable(Guid.NewGuid().ToString("N"));
        var grains = Enumerable.Range(0, 20).Select(i => GrainId.Create("test", "g" + i)).OrderBy(g => g.GetUniformHashCode()).ToList();
        foreach (var grain in grains)
        {
            await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });
        }

        var low = grains[5].GetUniformHashCode();
        var high = grains[10].GetUniformHashCode();
        var inside = (await table.ReadRows(low, high)).Reminders.Select(r => r.GrainId).ToList();
        var outside = (await table.ReadRows(high, low)).Reminders.Select(r => r.GrainId).ToList();

        Assert.Equal(grains[6..11], inside.OrderBy(g => g.GetUniformHashCode()));
        Assert.Equal(grains.Except(grains[6..11]).ToHashSet(), outside.ToHashSet());
        Assert.Equal(20, (await table.ReadRows(low, low)).Reminders.Count);
    }

    [Fact]
    public async Task RemoveRow_NeedsTheCurrentETag_AndTablesOfOtherServicesAreApart()
    {
        var service = Guid.NewGuid().ToString("N");
        var table = new ProcessWideReminderTable(service);
        var grain = GrainId.Create("test", "one");
        var first = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });
        var second = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(2) });

        Assert.NotEqual(first, second);
        Assert.Empty((await new ProcessWideReminderTable(Guid.NewGuid().ToString("N")).ReadRows(grain)).Reminders);
        Assert.Equal(TimeSpan.FromMinutes(2), (await new ProcessWideReminderTable(service).ReadRow(grain, "r"))!.Period);
        Assert.False(await table.RemoveRow(grain, "r", first!));
        Assert.True(await table.RemoveRow(grain, "r", second!));
        Assert.Null(await table.ReadRow(grain, "r"));
    }
}
