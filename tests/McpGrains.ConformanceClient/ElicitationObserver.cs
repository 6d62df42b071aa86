using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGrains.ConformanceClient;

/// <summary>
/// Stands in for a downstream MCP client that declared elicitation: the session grain relays the upstream server's
/// elicitation/create here, and it answers as a user accepting the defaults.
/// </summary>
public sealed class ElicitationObserver : IMcpSessionObserver
{
    public Task OnNotificationAsync(UpstreamNotification notification) => Task.CompletedTask;

    public Task OnAuthorizationCompletedAsync(string elicitationId) => Task.CompletedTask;

    public async Task<UpstreamResult> OnServerRequestAsync(UpstreamRequest request)
    {
        if (request.Method != RequestMethods.ElicitationCreate)
        {
            return UpstreamResult.Failure(new UpstreamRpcError((int)McpErrorCode.MethodNotFound, $"{request.Method} is not supported.", null));
        }

        var parameters = request.ParamsJson is null ? null : JsonSerializer.Deserialize<ElicitRequestParams>(request.ParamsJson, McpJsonUtilities.DefaultOptions);
        var result = await ElicitationDefaults.AcceptAsync(parameters, CancellationToken.None);
        return UpstreamResult.Success(JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions));
    }
}
