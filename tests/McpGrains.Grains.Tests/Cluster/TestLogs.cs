using McpGrains.Testing;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>Every log line written by the test silos of this process.</summary>
internal static class TestLogs
{
    public static LogCapture Capture { get; } = new();
}
