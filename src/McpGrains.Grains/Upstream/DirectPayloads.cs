using System.Text;
using System.Text.Json;
using McpGrains.Grains.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// How a request goes directly as raw JSON (<see cref="DirectRequestSender"/>): its params dressed as the SDK path
/// would dress them, with its target for <c>Mcp-Name</c>, or null when only the SDK path can send it.
/// </summary>
internal sealed class DirectPayloads
{
    /// <summary>Tools whose input schema asks for <c>Mcp-Param-*</c> headers (SEP-2243): their calls go through the SDK, which adds them.</summary>
    private volatile HashSet<string> _headerTools = new(StringComparer.Ordinal);

    /// <summary>Adds the tools that declare <c>x-mcp-header</c> arguments (never removes one: the SDK path serves any tool).</summary>
    public void NoteHeaderTools(IEnumerable<Tool> tools)
    {
        var declaring = tools.Where(tool => tool.InputSchema.ValueKind == JsonValueKind.Object && tool.InputSchema.GetRawText().Contains("\"x-mcp-header\"", StringComparison.Ordinal)).Select(tool => tool.Name).ToArray();
        if (declaring.Length > 0)
        {
            _headerTools = new HashSet<string>(_headerTools.Concat(declaring), StringComparer.Ordinal);
        }
    }

    public static bool IsInputRequired(UpstreamResult answer) =>
        answer is { Outcome: UpstreamOutcome.Success, ResultJson: { } json }
        && json.Contains(TappedClientTransport.InputRequired, StringComparison.Ordinal)
        && TopLevelString(Encoding.UTF8.GetBytes(json), "resultType"u8) == TappedClientTransport.InputRequired;

    /// <summary>
    /// The params as they go directly (with the call's target for <c>Mcp-Name</c>), dressed as the SDK path would dress
    /// them; null when only the SDK path can send them.
    /// </summary>
    public DirectPayload? Prepare(string method, string? paramsJson, InFlightCall? call, bool isStateless, string? protocolVersion)
    {
        if (method == RequestMethods.ToolsList)
        {
            // The SDK learns the tools (for Mcp-Param-* headers) and McpGrains drops invalid declarations from the list.
            return null;
        }

        var utf8 = paramsJson is null ? default : Encoding.UTF8.GetBytes(paramsJson);
        var name = method switch
        {
            RequestMethods.ToolsCall or RequestMethods.PromptsGet => TopLevelString(utf8, "name"u8),
            RequestMethods.ResourcesRead => TopLevelString(utf8, "uri"u8),
            _ => null,
        };
        if (method == RequestMethods.ToolsCall && name is not null && _headerTools.Contains(name))
        {
            return null;
        }

        var passes = isStateless && call is { Caller.IsStateless: true };
        if (call is not null)
        {
            call.PassesInputRequired = passes;
        }

        if (!isStateless && (paramsJson is null || !paramsJson.Contains("\"_meta\"", StringComparison.Ordinal)))
        {
            // Nothing to dress: the params go exactly as they came.
            return new DirectPayload(utf8, name);
        }

        var dressed = RawParams.Dress(utf8, keepClientCapabilities: passes, isStateless ? StatelessMeta(call, passes, protocolVersion) : []);
        return dressed is { } json ? new DirectPayload(json, name) : null;
    }

    /// <summary>
    /// What a 2026-07-28 request carries about its client (as the SDK adds it): the protocol version, McpGrains as the
    /// client, and the capabilities of the client the upstream is really talking to.
    /// </summary>
    private RawParams.Entry[] StatelessMeta(InFlightCall? call, bool passes, string? protocolVersion)
    {
        if (passes)
        {
            return _passThroughMeta ??= BuildStatelessMeta(protocolVersion, new(RawParams.ClientCapabilitiesKey, "{}", IfAbsent: true));
        }

        if (call is null)
        {
            return _relayMeta ??= BuildStatelessMeta(protocolVersion, new(RawParams.ClientCapabilitiesKey, RelayCapabilitiesJson));
        }

        return _callerMeta.GetOrAdd(call.Caller.Capabilities, static (capabilities, state) =>
            state.Payloads.BuildStatelessMeta(state.Version, new(RawParams.ClientCapabilitiesKey, UpstreamParams.CapabilitiesJson(capabilities).ToJsonString())), (Payloads: this, Version: protocolVersion));
    }

    private RawParams.Entry[] BuildStatelessMeta(string? protocolVersion, RawParams.Entry capabilities) =>
    [
        new("io.modelcontextprotocol/protocolVersion", JsonSerializer.Serialize(protocolVersion)),
        new("io.modelcontextprotocol/clientInfo", ClientInfoJson),
        capabilities,
    ];

    // The metadata is the same for every request of this client with the same capabilities: built once.
    private RawParams.Entry[]? _passThroughMeta;
    private RawParams.Entry[]? _relayMeta;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DownstreamCapabilities, RawParams.Entry[]> _callerMeta = new();

    public static readonly Implementation ClientInfo = new() { Name = "McpGrains", Version = "1.0.0" };

    private static readonly string ClientInfoJson = JsonSerializer.Serialize(ClientInfo, McpJsonUtilities.DefaultOptions);

    private static readonly string RelayCapabilitiesJson = JsonSerializer.Serialize(UpstreamRelay.Capabilities(), McpJsonUtilities.DefaultOptions);

    public static string? TopLevelString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> property)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(property);
            reader.Read();
            if (match)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }

    public readonly record struct DirectPayload(ReadOnlyMemory<byte> Utf8, string? Name);
}
