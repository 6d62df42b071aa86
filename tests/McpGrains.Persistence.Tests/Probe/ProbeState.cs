namespace McpGrains.Persistence.Tests;

[GenerateSerializer, Alias("McpGrains.Persistence.Tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)]
    public List<string> Entries { get; set; } = [];

    [Id(1)]
    public int ReminderTicks { get; set; }
}
