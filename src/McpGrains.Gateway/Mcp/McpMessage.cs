using System.Text;
using System.Text.Json;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// One POSTed JSON-RPC message, read with <see cref="Utf8JsonReader"/> for what routing and policy need: the kind,
/// the id, the method, where the params are, and from the params the per-request metadata (<c>_meta</c>: progress
/// token, 2026-07-28 protocol version, client capabilities and info), the name or URI a request is about and the
/// initialize fields. Everything else stays raw bytes in <see cref="Body"/>, forwarded as it came.
/// </summary>
internal sealed partial class McpMessage
{
    private McpMessage(ReadOnlyMemory<byte> body)
    {
        Body = body;
    }

    public ReadOnlyMemory<byte> Body { get; }

    public McpMessageKind Kind { get; private set; }

    /// <summary>Why the message is <see cref="McpMessageKind.Invalid"/>.</summary>
    public string? Problem { get; private set; }

    /// <summary>The id as it came (a JSON string or number token), empty when there is none.</summary>
    public ReadOnlyMemory<byte> Id { get; private set; }

    /// <summary>The id of a response, when it is a string (McpGrains' own server-to-client requests have string ids).</summary>
    public string? IdString { get; private set; }

    public string? Method { get; private set; }

    /// <summary>The params object or array as it came; empty when absent.</summary>
    public ReadOnlyMemory<byte> Params { get; private set; }

    public bool HasMeta { get; private set; }

    /// <summary><c>_meta.progressToken</c> as it came; empty when absent.</summary>
    public ReadOnlyMemory<byte> ProgressToken { get; private set; }

    /// <summary><c>_meta["io.modelcontextprotocol/protocolVersion"]</c> (2026-07-28 requests).</summary>
    public string? MetaProtocolVersion { get; private set; }

    /// <summary><c>_meta["io.modelcontextprotocol/clientCapabilities"]</c> as it came; empty when absent.</summary>
    public ReadOnlyMemory<byte> MetaClientCapabilities { get; private set; }

    /// <summary>The value kind of <c>_meta["io.modelcontextprotocol/clientCapabilities"]</c>, when present.</summary>
    public JsonTokenType MetaClientCapabilitiesToken { get; private set; }

    /// <summary><c>params.name</c> (tools/call, prompts/get) or <c>params.uri</c> (resources/read and subscriptions).</summary>
    public string? Target { get; private set; }

    /// <summary>initialize: <c>params.protocolVersion</c>.</summary>
    public string? ProtocolVersion { get; private set; }

    /// <summary>initialize: <c>params.capabilities</c> as it came.</summary>
    public ReadOnlyMemory<byte> Capabilities { get; private set; }

    public string? ClientName { get; private set; }

    public string? ClientVersion { get; private set; }

    /// <summary>The params carry <c>inputResponses</c> (a retry after an input-required result).</summary>
    public bool HasInputResponses { get; private set; }

    public string IdText => Id.IsEmpty ? "null" : Encoding.UTF8.GetString(Id.Span);

    public string? ParamsText => Params.IsEmpty ? null : Encoding.UTF8.GetString(Params.Span);
}
