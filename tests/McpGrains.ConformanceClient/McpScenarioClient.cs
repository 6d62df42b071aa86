using Microsoft.Extensions.Logging;
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
        };

        await using var client = await McpClient.CreateAsync(transport, options, _loggerFactory, cancellationToken);
        _logger.LogInformation("Initialized with {Server} (protocol {Version}).", client.ServerInfo?.Name, client.NegotiatedProtocolVersion);

        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        _logger.LogInformation("{Count} tools: {Names}.", tools.Count, string.Join(", ", tools.Select(t => t.Name)));

        var tool = tools.FirstOrDefault(t => t.Name == "test-tool") ?? tools.FirstOrDefault();
        if (tool is not null && context.Scenario.StartsWith("auth/", StringComparison.Ordinal))
        {
            var result = await client.CallToolAsync(tool.Name, new Dictionary<string, object?>(), cancellationToken: cancellationToken);
            _logger.LogInformation("Called {Tool}: isError={IsError}.", tool.Name, result.IsError);
        }
    }
}
