using McpGrains.Gateway.Endpoints;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Protocol;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// A message of a 2026-07-28 client: no session, everything per request. The per-request metadata and the standard
/// headers are checked as that revision requires (400 with -32602 or -32020), session methods are gone (404, -32601),
/// <c>server/discover</c> and <c>subscriptions/listen</c> are answered here, and every other request is forwarded
/// with the capabilities it declares.
/// </summary>
internal sealed class McpStatelessHandler(McpCallForwarder forwarder, McpListenHandler listen, ServerDescriptions descriptions)
{
    private const string MethodHeader = "Mcp-Method";
    private const string NameHeader = "Mcp-Name";

    public async Task HandleAsync(HttpContext context, McpSessionKey key, UserSubject user, McpMessage message, string version)
    {
        if (message.Kind is McpMessageKind.Request or McpMessageKind.Notification && Refuse(context.Request, message, version) is { } refusal)
        {
            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status400BadRequest, message.Id, refusal.Code, refusal.Message);
            return;
        }

        if (message.Kind != McpMessageKind.Request)
        {
            // Nothing was asked of this revision's clients that they could answer, and notifications need no answer.
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        var method = message.Method!;
        if (McpRevisions.IsRemovedInStateless(method))
        {
            await McpReplyWriter.WriteErrorAsync(context.Response, StatusCodes.Status404NotFound, message.Id, -32601, $"Method '{method}' is not available on protocol version '{version}'.");
            return;
        }

        var caller = new CallerInfo(key, null, version, ClientCapabilitiesReader.Read(message.MetaClientCapabilities.Span), user);
        switch (method)
        {
            case "server/discover":
                await McpReplyWriter.WriteJsonAsync(context.Response, message.Id, descriptions.DiscoverResult(key.ServerId));
                return;
            case "subscriptions/listen":
                await listen.ListenAsync(context, message, caller);
                return;
            default:
                await forwarder.ForwardAsync(context, message, caller);
                return;
        }
    }

    private static (int Code, string Message)? Refuse(HttpRequest request, McpMessage message, string version)
    {
        if (message.MetaProtocolVersion is null)
        {
            return message.Kind == McpMessageKind.Request
                ? (-32602, $"Requests using protocol version '{version}' must include '_meta/io.modelcontextprotocol/protocolVersion'.")
                : null;
        }

        if (message.MetaProtocolVersion != version)
        {
            return (-32020, $"Bad Request: The MCP-Protocol-Version header value '{version}' does not match body _meta/io.modelcontextprotocol/protocolVersion value '{message.MetaProtocolVersion}'.");
        }

        var methodHeader = request.Headers[MethodHeader].ToString().Trim();
        if (methodHeader.Length == 0)
        {
            return (-32020, "Missing required Mcp-Method header.");
        }

        if (!string.Equals(methodHeader, message.Method, StringComparison.Ordinal))
        {
            return (-32020, $"Header mismatch: Mcp-Method header value '{methodHeader}' does not match body value '{message.Method}'.");
        }

        if (message.Method is RequestMethods.ToolsCall or RequestMethods.PromptsGet or RequestMethods.ResourcesRead)
        {
            var nameHeader = request.Headers[NameHeader].ToString().Trim();
            if (nameHeader.Length == 0)
            {
                return (-32020, "Missing required Mcp-Name header.");
            }

            if (!string.Equals(ModelContextProtocol.Protocol.McpHeaderEncoder.DecodeValue(nameHeader), message.Target, StringComparison.Ordinal))
            {
                return (-32020, "Header mismatch: Mcp-Name header value does not match the body.");
            }
        }

        if (message.Kind == McpMessageKind.Request && message.MetaClientCapabilitiesToken != System.Text.Json.JsonTokenType.StartObject)
        {
            return (-32602, $"Requests using protocol version '{version}' must include '_meta/io.modelcontextprotocol/clientCapabilities' as a JSON object.");
        }

        return null;
    }
}
