namespace McpGrains.Grains.Upstream;

/// <summary>An upstream answer exceeded <c>McpGrains:Upstream:MaxResponseBytes</c>; the message names the limit, never content.</summary>
public sealed class UpstreamResponseTooLargeException(long maxBytes)
    : Exception($"The upstream server's answer exceeds McpGrains' limit of {maxBytes} bytes (McpGrains:Upstream:MaxResponseBytes); it was not read further.")
{
    public long MaxBytes { get; } = maxBytes;

    /// <summary>The exception itself or one it is wrapped in (the MCP SDK's transport may wrap what a read throws).</summary>
    public static UpstreamResponseTooLargeException? Find(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is UpstreamResponseTooLargeException tooLarge)
            {
                return tooLarge;
            }
        }

        return null;
    }
}
