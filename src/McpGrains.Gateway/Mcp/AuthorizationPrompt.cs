using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// How a downstream client is told that the user must connect their account (PROTOCOL.md section 9): the stand-in
/// tool listed before authorization, URL elicitation (-32042) for clients that declared <c>elicitation.url</c>, an
/// input-required result on 2026-07-28, and text that carries the link for everyone else. Composed with the SDK's
/// protocol types.
/// </summary>
internal static class AuthorizationPrompt
{
    public const string ToolNamePrefix = "authorize_";

    public static string ToolName(string serverId) => ToolNamePrefix + serverId;

    public static Tool Tool(string serverId, string displayName) => new()
    {
        Name = ToolName(serverId),
        Title = $"Connect {displayName}",
        Description = $"Connect your account for {displayName}. Call this tool to get the sign-in link; the tools of {displayName} appear once you have signed in.",
        InputSchema = JsonSerializer.Deserialize<JsonElement>("""{"type":"object","properties":{}}"""),
    };

    public static string Message(string displayName) => $"Sign in to connect your account for {displayName}.";

    public static string Text(string displayName, string authorizationUrl) =>
        $"Authorization required: open {authorizationUrl} to connect {displayName}, then retry.";

    public static ElicitRequestParams Elicitation(string displayName, PendingAuthorizationInfo pending) => new()
    {
        Mode = "url",
        Message = Message(displayName),
        Url = pending.AuthorizationUrl,
        ElicitationId = pending.ElicitationId,
    };

    /// <summary>-32042 with <c>error.data.elicitations</c>.</summary>
    public static McpReply UrlElicitationRequired(string displayName, PendingAuthorizationInfo pending)
    {
        var data = new JsonObject
        {
            ["elicitations"] = new JsonArray(JsonSerializer.SerializeToNode(Elicitation(displayName, pending), McpJsonUtilities.DefaultOptions)),
        };
        return McpReply.Error((int)McpErrorCode.UrlElicitationRequired, Message(displayName), data.ToJsonString());
    }

    /// <summary>The 2026-07-28 form: the same URL elicitation as an input request of an input-required result.</summary>
    public static McpReply InputRequired(string displayName, PendingAuthorizationInfo pending) =>
        McpReply.Result(JsonSerializer.Serialize(
            new InputRequiredResult { InputRequests = new Dictionary<string, InputRequest> { [pending.ElicitationId] = InputRequest.ForElicitation(Elicitation(displayName, pending)) } },
            McpJsonUtilities.DefaultOptions));

    public static McpReply ToolResult(string text, bool isError) =>
        McpReply.Result(JsonSerializer.Serialize(new CallToolResult { IsError = isError, Content = [new TextContentBlock { Text = text }] }, McpJsonUtilities.DefaultOptions));

    /// <summary>
    /// For requests other than tool calls from clients that cannot take a URL elicitation. It names the stand-in tool
    /// rather than carrying the link: an error message may end up in a log, and the link must never reach one. The
    /// tool answers with the link in its result.
    /// </summary>
    public static McpReply Error(string serverId, string displayName) => McpReply.Error(
        (int)McpErrorCode.InvalidRequest,
        $"Authorization required: your account for {displayName} is not connected. Call the tool '{ToolName(serverId)}' to get the sign-in link, then retry.");
}
