using System.Text;
using System.Text.Json;
using McpGrains.Configuration;
using McpGrains.Downstream;
using McpGrains.Gateway.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// The answers of a user who has not connected the server (or must sign in again), by request and by what the client
/// can take: the tool list with the sign-in tool (and the host app's last known tools), the sign-in link as a URL
/// elicitation, an input-required result or text.
/// </summary>
internal sealed class McpPrompts(IGrainFactory grains, ServerDescriptions descriptions, IOptions<McpGrainsOptions> options, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger(DownstreamMcpLog.Category);

    /// <summary>
    /// <c>authorize_{serverId}</c> first, then the server's last known tools unless switched off: clients that call tools
    /// by saved names (LibreChat agents) reach McpGrains and get the sign-in link instead of "tool not found".
    /// </summary>
    public async Task<McpReply> ToolListAsync(CallerInfo caller, CancellationToken cancellationToken)
    {
        var serverId = caller.Key.ServerId;
        var builder = new StringBuilder("{\"tools\":[").Append(descriptions.AuthorizeTool(serverId));
        if (options.Value.Servers[serverId].ToolCatalogBeforeSignIn
            && await grains.GetGrain<IToolCatalogGrain>(IToolCatalogGrain.Key(caller.Key.TenantId, serverId)).GetToolsAsync(cancellationToken) is { } catalog)
        {
            var items = catalog.AsSpan().Trim();
            if (items.Length > 2 && items[0] == '[' && items[^1] == ']' && !items[1..^1].Trim().IsEmpty)
            {
                builder.Append(',').Append(items[1..^1]);
            }
        }

        return McpReply.Result(builder.Append("]}").ToString());
    }

    /// <summary><c>authorize_{serverId}</c> called: the link, or why there is none.</summary>
    public async Task<McpReply> AuthorizeToolAsync(IMcpSessionGrain grain, McpMessage message, CallerInfo caller, CancellationToken cancellationToken)
    {
        var displayName = descriptions.DisplayName(caller.Key.ServerId);
        var pending = await grain.GetPendingAuthorizationAsync(caller.User.Label, caller.User.Identity, cancellationToken);
        if (pending is not null)
        {
            return await ToolCallAsync(message, caller, pending);
        }

        // No link to show: connected, or the server's authorization could not be set up (say why).
        var connection = await grain.GetConnectionAsync(cancellationToken);
        return connection.Status == ConnectionStatus.Connected
            ? AuthorizationPrompt.ToolResult($"Your account for {displayName} is connected; its tools are available.", isError: false)
            : AuthorizationPrompt.ToolResult($"Connecting {displayName} is not possible right now: {connection.LastError?.Message ?? "the server's authorization could not be discovered"}", isError: true);
    }

    /// <summary>A tool call that needs the user to sign in first.</summary>
    public async Task<McpReply> ToolCallAsync(McpMessage message, CallerInfo caller, PendingAuthorizationInfo pending)
    {
        var displayName = descriptions.DisplayName(caller.Key.ServerId);
        if (caller.IsStateless && message.HasInputResponses && AnswerTo(message, pending.ElicitationId) is { } action)
        {
            // A retry after the client answered our input request: never ask again in a loop.
            Prompted(message, caller, "tool result after input response", pending);
            return action == "accept"
                ? AuthorizationPrompt.ToolResult(AuthorizationPrompt.Text(displayName, pending.AuthorizationUrl), isError: true)
                : AuthorizationPrompt.ToolResult($"Connecting your account for {displayName} was declined; the tool was not called.", isError: true);
        }

        if (caller.IsStateless)
        {
            Prompted(message, caller, "input-required result", pending);
            return AuthorizationPrompt.InputRequired(displayName, pending);
        }

        if (caller.Capabilities.ElicitationUrl)
        {
            return await UrlElicitationAsync(message, caller, pending, displayName);
        }

        Prompted(message, caller, "tool result", pending);
        return AuthorizationPrompt.ToolResult(AuthorizationPrompt.Text(displayName, pending.AuthorizationUrl), isError: true);
    }

    /// <summary>Any other request that needs the user to sign in first.</summary>
    public async Task<McpReply> ErrorAsync(McpMessage message, CallerInfo caller, PendingAuthorizationInfo pending)
    {
        var displayName = descriptions.DisplayName(caller.Key.ServerId);
        if (!caller.IsStateless && caller.Capabilities.ElicitationUrl)
        {
            return await UrlElicitationAsync(message, caller, pending, displayName);
        }

        Prompted(message, caller, "error message", pending);
        return AuthorizationPrompt.Error(caller.Key.ServerId, displayName);
    }

    private async Task<McpReply> UrlElicitationAsync(McpMessage message, CallerInfo caller, PendingAuthorizationInfo pending, string displayName)
    {
        // The session completes this elicitation (notifications/elicitation/complete) once the user has signed in.
        await grains.GetGrain<IDownstreamSessionGrain>(caller.SessionHash!).RecordElicitationAsync(pending.ElicitationId);
        Prompted(message, caller, "URL elicitation", pending);
        return AuthorizationPrompt.UrlElicitationRequired(displayName, pending);
    }

    private void Prompted(McpMessage message, CallerInfo caller, string kind, PendingAuthorizationInfo pending) =>
        _logger.AuthorizationPrompted(message.Method!, caller.Key.Format(), kind, pending.ElicitationId);

    /// <summary>The action of the client's answer to input request <paramref name="key"/>, if it answered it.</summary>
    private static string? AnswerTo(McpMessage message, string key)
    {
        using var document = JsonDocument.Parse(message.Params);
        return document.RootElement.TryGetProperty("inputResponses", out var responses) && responses.ValueKind == JsonValueKind.Object
            && responses.TryGetProperty(key, out var response)
            ? response.ValueKind == JsonValueKind.Object && response.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.String ? action.GetString() : "decline"
            : null;
    }
}
