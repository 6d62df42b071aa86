using System.Net;
using McpGrains.OAuth;

namespace McpGrains.Grains.Upstream;

/// <summary>What a failed upstream request or connection attempt was, in words fit for an error message.</summary>
internal static class UpstreamFailures
{
    /// <summary>The HTTP status the upstream answered with, when the failure is an HTTP answer at all.</summary>
    public static HttpStatusCode? StatusOf(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { StatusCode: { } status })
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>
    /// A short reason without URLs or bodies (which could carry secrets); a refusal by McpGrains says what was refused
    /// (its message names origins and addresses only).
    /// </summary>
    public static string Describe(Exception ex)
    {
        if (UpstreamDestinationRefusedException.Find(ex) is { } refusal)
        {
            return refusal.Message;
        }

        var root = ex;
        while (root.InnerException is not null && root is not HttpRequestException)
        {
            root = root.InnerException;
        }

        return root switch
        {
            HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status}",
            HttpRequestException { HttpRequestError: var error } => error.ToString(),
            TimeoutException => "timed out",
            _ => root.GetType().Name,
        };
    }
}
