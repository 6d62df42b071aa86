namespace McpGrains.Grains.Tests.Cluster;

/// <summary>The session cluster whose token client can be made to "crash" after a token response.</summary>
public sealed class CrashInjectionClusterFixture : SessionClusterFixture
{
    public const string Key = "McpGrainsTesting:CrashInjection";

    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings[Key] = "true";
    }
}
