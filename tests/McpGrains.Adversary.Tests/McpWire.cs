using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

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

    /// <summary>
    /// Opens a 2025-11-25 session as a client would (initialize, then notifications/initialized) and returns its id.
    /// </summary>
    public static async Task<string> OpenSessionAsync(HttpClient client, string serverId, string userId)
    {
        using var initialized = await client.SendAsync(Initialize(serverId, userId));
        initialized.EnsureSuccessStatusCode();
        var sessionId = initialized.Headers.GetValues(SessionHeader).Single();
        using var notified = await client.SendAsync(Post(serverId, userId, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", sessionId));
        notified.EnsureSuccessStatusCode();
        return sessionId;
    }

    /// <summary>Every JSON-RPC message of a response, in the order sent: the JSON body, or each event of an event stream.</summary>
    public static async Task<IReadOnlyList<JsonElement>> ReadMessagesAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            return [JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync())];
        }

        var messages = new List<JsonElement>();
        await using var stream = await response.Content.ReadAsStreamAsync();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync())
        {
            if (!string.IsNullOrEmpty(item.Data))
            {
                messages.Add(JsonSerializer.Deserialize<JsonElement>(item.Data));
            }
        }

        return messages;
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
