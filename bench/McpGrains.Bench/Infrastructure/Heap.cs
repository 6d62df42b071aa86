namespace McpGrains.Bench.Infrastructure;

/// <summary>Managed heap size after full blocking compacting collections (what live objects take).</summary>
public static class Heap
{
    public static long Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
