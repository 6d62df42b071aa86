using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace McpGrains.ConformanceClient;

/// <summary>
/// The scenario's MCP calls, made with the C# SDK over an <see cref="HttpClient"/> whose handler takes tokens from the
/// session grain. Kept apart so that it can be swapped for the grain's own live connection (a later issue).
/// </summary>
public sealed class McpScenarioClient
{
    private readonly UserConnector _connector;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public McpScenarioClient(UserConnector connector, ILoggerFactory loggerFactory)
    {
        _connector = connector;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<McpScenarioClient>();
    }

    public async Task RunAsync(Uri serverUrl, ConformanceContext context, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new GrainTokenHandler(_connector, _logger)) { Timeout = TimeSpan.FromSeconds(30) };
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = serverUrl, TransportMode = HttpTransportMode.AutoDetect, Name = "McpGrains" },
            http,
            _loggerFactory,
            ownsHttpClient: false);
        var options = new McpClientOptions
        {
            ClientInfo = new() { Name = "McpGrains.ConformanceClient", Version = "1.0.0" },
            Handlers = new McpClientHandlers { ElicitationHandler = ElicitationDefaults.AcceptAsync },

            // The wire revision of the suite run (0.2.x sets it; 0.1.x does not). Unset, SDK 2.4.0 probes with
            // server/discover first and cannot parse a pre-2026 server's generic answer to it.
            ProtocolVersion = context.ProtocolVersion,

            // The server/discover probe defaults to a few seconds; a whole suite run on a small machine needs more, or
            // a slow answer is taken for "needs initialize" and a pinned 2026-07-28 client gives up.
            DiscoverProbeTimeout = TimeSpan.FromSeconds(20),
            InitializationTimeout = TimeSpan.FromSeconds(60),
        };

        await using var client = await McpClient.CreateAsync(transport, options, _loggerFactory, cancellationToken);
        _logger.LogInformation("Initialized with {Server} (protocol {Version}).", client.ServerInfo?.Name, client.NegotiatedProtocolVersion);

        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        _logger.LogInformation("{Count} tools: {Names}.", tools.Count, string.Join(", ", tools.Select(t => t.Name)));

        foreach (var (name, arguments) in ToolCallPlan.Create(context, tools))
        {
            try
            {
                var result = await client.CallToolAsync(name, arguments, cancellationToken: cancellationToken);
                _logger.LogInformation("Called {Tool}: isError={IsError}.", name, result.IsError);
            }
            catch (McpException ex)
            {
                // One refused call does not end the scenario: the suite scores each call.
                _logger.LogWarning("Calling {Tool} failed: {Message}", name, ex.Message);
            }
        }
    }
}
