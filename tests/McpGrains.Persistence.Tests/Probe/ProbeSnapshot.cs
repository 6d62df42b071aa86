namespace McpGrains.Persistence.Tests;

[GenerateSerializer, Immutable, Alias("McpGrains.Persistence.Tests.ProbeSnapshot")]
public sealed record ProbeSnapshot(
    [property: Id(0)] IReadOnlyList<string> Entries,
    [property: Id(1)] int ReminderTicks,
    [property: Id(2)] string? ETag,
    [property: Id(3)] SiloAddress Silo);
