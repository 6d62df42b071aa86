using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace McpGrains.ConformanceClient;

/// <summary>
/// The scenario's MCP calls, made through McpGrains' own upstream connection: the session grain's SendAsync, as the
/// REST API and the /mcp endpoint use it. When the grain answers "authorization required" (a 401, an
/// insufficient_scope step-up, a moved authorization server), the user is sent through the authorization server and
/// the call is retried.
/// </summary>
public sealed class McpScenarioClient
{
    /// <summary>Authorizations one call may need (a 401, then step-ups); the grain bounds step-ups itself.</summary>
    private const int MaxAuthorizationsPerCall = 4;

    private readonly UserConnector _connector;
    private readonly ILogger _logger;

    public McpScenarioClient(UserConnector connector, ILoggerFactory loggerFactory)
    {
        _connector = connector;
        _logger = loggerFactory.CreateLogger<McpScenarioClient>();
    }

    public async Task RunAsync(ConformanceContext context, CancellationToken cancellationToken)
    {
        var listed = await SendAsync("tools/list", null, cancellationToken);
        var tools = listed?["tools"] as JsonArray ?? [];
        _logger.LogInformation("{Count} tools: {Names}.", tools.Count, string.Join(", ", tools.Select(t => (string?)t?["name"])));

        var toolSchemas = tools
            .Select(t => ((string?)t?["name"] ?? "", t?["inputSchema"] is { } schema ? JsonSerializer.SerializeToElement(schema) : default))
            .Where(t => t.Item1.Length > 0)
            .ToList();
        foreach (var (name, arguments) in ToolCallPlan.Create(context, toolSchemas))
        {
            var parameters = new JsonObject { ["name"] = name, ["arguments"] = JsonSerializer.SerializeToNode(arguments) };
            var result = await SendAsync("tools/call", parameters, cancellationToken);
            _logger.LogInformation("Called {Tool}: {Outcome}.", name, result is null ? "failed" : $"isError={(bool?)result["isError"] ?? false}");
        }
    }

    private async Task<JsonNode?> SendAsync(string method, JsonNode? parameters, CancellationToken cancellationToken)
    {
        for (var authorizations = 0; ; authorizations++)
        {
            var result = await _connector.Session.SendAsync(new UpstreamRequest(method, parameters?.ToJsonString()), cancellationToken);
            switch (result.Outcome)
            {
                case UpstreamOutcome.Success:
                    return JsonNode.Parse(result.ResultJson!);
                case UpstreamOutcome.AuthorizationRequired when result.Authorization is not null && authorizations < MaxAuthorizationsPerCall:
                    _logger.LogInformation("{Method}: authorization required ({Reason}); authorizing.", method, result.Error?.Code ?? result.Authorization.Status.ToWireName());
                    await _connector.CompleteAuthorizationAsync(result.Authorization.AuthorizationUrl, cancellationToken);
                    continue;
                case UpstreamOutcome.RpcError:
                    // One refused call does not end the scenario: the suite scores each call.
                    _logger.LogWarning("{Method} failed: {Code} {Message}", method, result.RpcError!.Code, result.RpcError.Message);
                    return null;
                default:
                    _logger.LogWarning("{Method}: {Outcome}: {Code}: {Message}", method, result.Outcome, result.Error?.Code, result.Error?.Message);
                    return null;
            }
        }
    }
}
