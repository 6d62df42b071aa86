namespace McpGrains.ConformanceClient;

/// <summary>The user could not be connected to the scenario's server; the message is safe to print.</summary>
public sealed class ConnectionFailedException : Exception
{
    public ConnectionFailedException()
    {
    }

    public ConnectionFailedException(string message)
        : base(message)
    {
    }

    public ConnectionFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
