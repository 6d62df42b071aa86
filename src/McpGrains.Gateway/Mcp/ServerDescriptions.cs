using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Configuration;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// What McpGrains answers itself about each configured server, composed with the SDK's protocol types once and kept
/// as UTF-8 JSON: the initialize result per revision, the 2026-07-28 discover result and the sign-in tool.
/// </summary>
internal sealed class ServerDescriptions(IOptions<McpGrainsOptions> options)
{
    public const string ServerName = "McpGrains";
    public const string ServerVersion = "1.0.0";

    private readonly ConcurrentDictionary<(string ServerId, string Version), byte[]> _initialize = new();
    private readonly ConcurrentDictionary<string, byte[]> _discover = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _authorizeTool = new(StringComparer.Ordinal);

    public string DisplayName(string serverId) =>
        options.Value.Servers.TryGetValue(serverId, out var server) && !string.IsNullOrWhiteSpace(server.DisplayName) ? server.DisplayName : serverId;

    public byte[] InitializeResult(string serverId, string version) =>
        _initialize.GetOrAdd((serverId, version), key => Serialize(new InitializeResult
        {
            ProtocolVersion = key.Version,
            Capabilities = Capabilities(includeLogging: true),
            ServerInfo = Implementation(key.ServerId),
        }, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(InitializeResult))));

    /// <summary>The 2026-07-28 <c>server/discover</c> result, with the server's identity in <c>_meta</c>.</summary>
    public byte[] DiscoverResult(string serverId) =>
        _discover.GetOrAdd(serverId, id =>
        {
            var result = JsonSerializer.SerializeToNode(new DiscoverResult
            {
                SupportedVersions = McpRevisions.Stateless,
                Capabilities = Capabilities(includeLogging: false),
                TimeToLive = TimeSpan.Zero,
                CacheScope = CacheScope.Private,
                ResultType = "complete",
            }, McpJsonUtilities.DefaultOptions)!.AsObject();
            result["_meta"] = new JsonObject { ["io.modelcontextprotocol/serverInfo"] = JsonSerializer.SerializeToNode(Implementation(id), McpJsonUtilities.DefaultOptions) };
            return Encoding.UTF8.GetBytes(result.ToJsonString());
        });

    /// <summary>The stand-in tool listed before the user has connected the server (a JSON object).</summary>
    public string AuthorizeTool(string serverId) =>
        _authorizeTool.GetOrAdd(serverId, id => JsonSerializer.Serialize(AuthorizationPrompt.Tool(id, DisplayName(id)), McpJsonUtilities.DefaultOptions));

    /// <summary>
    /// Everything is advertised whatever the upstream offers (nothing is known of it before the user connects); a list
    /// the upstream does not serve is answered empty.
    /// </summary>
    private static ServerCapabilities Capabilities(bool includeLogging)
    {
        var capabilities = new ServerCapabilities
        {
            Tools = new ToolsCapability { ListChanged = true },
            Resources = new ResourcesCapability { Subscribe = true, ListChanged = true },
            Prompts = new PromptsCapability { ListChanged = true },
            Completions = new CompletionsCapability(),
        };
        if (includeLogging)
        {
#pragma warning disable MCP9005 // Logging is deprecated by 2026-07-28 but clients of earlier revisions use it.
            capabilities.Logging = new LoggingCapability();
#pragma warning restore MCP9005
        }

        return capabilities;
    }

    private Implementation Implementation(string serverId) => new() { Name = ServerName, Title = DisplayName(serverId), Version = ServerVersion };

    private static byte[] Serialize(object value, System.Text.Json.Serialization.Metadata.JsonTypeInfo typeInfo) =>
        JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
}
