namespace McpGrains.OAuth;

/// <summary>
/// The SSRF policy refused a destination (scheme, or a host resolving to a loopback/private/reserved address).
/// SocketsHttpHandler may wrap it in another <see cref="HttpRequestException"/>; look through inner exceptions.
/// </summary>
public sealed class UpstreamDestinationRefusedException : HttpRequestException
{
    public UpstreamDestinationRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>True when <paramref name="exception"/> or one of its inner exceptions is a refusal.</summary>
    public static bool IsRefusal(Exception? exception) => Find(exception) is not null;

    /// <summary>The refusal among <paramref name="exception"/> and its inner exceptions (its message says what was refused), or null.</summary>
    public static UpstreamDestinationRefusedException? Find(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is UpstreamDestinationRefusedException refusal)
            {
                return refusal;
            }
        }

        return null;
    }
}
