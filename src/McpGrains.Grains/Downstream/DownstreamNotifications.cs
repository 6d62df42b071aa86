using System.Text.Json;

namespace McpGrains.Grains.Downstream;

/// <summary>The notifications a downstream session's buffer composes itself.</summary>
internal static class DownstreamNotifications
{
    public static string Empty(string method) => "{\"jsonrpc\":\"2.0\",\"method\":" + JsonSerializer.Serialize(method) + "}";

    public static string ElicitationComplete(string elicitationId) =>
        "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/elicitation/complete\",\"params\":{\"elicitationId\":" + JsonSerializer.Serialize(elicitationId) + "}}";
}
