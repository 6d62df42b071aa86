namespace McpGrains.Host;

/// <summary><c>McpGrains:Orleans</c>: the ports of the single local silo (tests pick free ones).</summary>
public sealed class LocalSiloOptions
{
    public const string SectionName = "McpGrains:Orleans";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;
}
