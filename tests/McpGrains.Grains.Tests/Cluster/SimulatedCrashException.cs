namespace McpGrains.Grains.Tests.Cluster;

public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("Simulated process crash between the token response and the state write.")
    {
    }
}
