using System.Net.Http.Headers;
using System.Text;

namespace McpGrains.Adversary.Tests;

/// <summary>Raw Streamable HTTP requests to <c>/mcp/{serverId}</c>, so that a test sees every status and header as sent.</summary>
internal static class McpWire
{
    public const string UserHeader = "X-User-Id";
    public const string SessionHeader = "Mcp-Session-Id";

    /// <summary>An <c>initialize</c> of the 2025-11-25 revision, which opens a session.</summary>
    public static HttpRequestMessage Initialize(string serverId, string userId) => Post(
        serverId,
        userId,
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"adversary","version":"1.0"}}}""");

    public static HttpRequestMessage Post(string serverId, string userId, string json, string? sessionId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/" + serverId)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.TryAddWithoutValidation(UserHeader, userId);
        if (sessionId is not null)
        {
            request.Headers.Add(SessionHeader, sessionId);
            request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        }

        return request;
    }

    /// <summary>Ends a session (DELETE with its id).</summary>
    public static HttpRequestMessage Delete(string serverId, string userId, string sessionId)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, "/mcp/" + serverId);
        request.Headers.TryAddWithoutValidation(UserHeader, userId);
        request.Headers.Add(SessionHeader, sessionId);
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        return request;
    }
}
