using System.Text.Json;
using McpGrains.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>
/// A real, open, stateful MCP server (SDK on loopback Kestrel) whose tools make the upstream talk back: <c>progress</c>
/// reports progress on its request, <c>announce</c> raises tools/list_changed, <c>ask</c> elicits a name from the client.
/// It counts the <c>tools/list</c> requests it receives.
/// </summary>
public sealed class EventfulMcpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource> _toolLists = new();
    private int _toolListCount;

    private EventfulMcpServer(WebApplication app, Uri mcpUri)
    {
        _app = app;
        McpUri = mcpUri;
    }

    public Uri McpUri { get; }

    /// <summary>The <c>progress</c> tool answers only once this is released: its progress has reached the client by then.</summary>
    public TaskCompletionSource ProgressSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The <c>tools/list</c> requests received so far.</summary>
    public int ToolListCount => Volatile.Read(ref _toolListCount);

    /// <summary>Completes once <paramref name="count"/> <c>tools/list</c> requests were received.</summary>
    public Task ToolListsReceived(int count) => ToolList(count).Task;

    private TaskCompletionSource ToolList(int count) =>
        _toolLists.GetOrAdd(count, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static async Task<EventfulMcpServer> StartAsync()
    {
        EventfulMcpServer? server = null;
        var builder = LoopbackWebHost.CreateBuilder();
        builder.Services.AddMcpServer()
            .WithHttpTransport(http => http.SessionMode = HttpServerSessionMode.Stateful)
            .WithTools(
            [
                McpServerTool.Create((RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken) => server!.ProgressAsync(request, cancellationToken), new McpServerToolCreateOptions { Name = "progress", Description = "Reports progress twice." }),
                McpServerTool.Create(AnnounceAsync, new McpServerToolCreateOptions { Name = "announce", Description = "Raises tools/list_changed." }),
                McpServerTool.Create(AskAsync, new McpServerToolCreateOptions { Name = "ask", Description = "Elicits a name." }),
            ])
            .WithMessageFilters(filters => filters.AddIncomingFilter(next => async (context, cancellationToken) =>
            {
                if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.ToolsList })
                {
                    server!.ToolList(Interlocked.Increment(ref server._toolListCount)).TrySetResult();
                }

                await next(context, cancellationToken);
            }));
        var app = builder.Build();
        app.MapMcp("/mcp");
        server = new EventfulMcpServer(app, new Uri(LoopbackWebHost.Format(await LoopbackWebHost.StartAsync(app, CancellationToken.None)) + "/mcp"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<string> ProgressAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var token = request.JsonRpcRequest.Params?["_meta"]?["progressToken"]?.GetValue<string>()
            ?? throw new McpProtocolException("No progress token.", McpErrorCode.InvalidParams);
        for (var step = 1; step <= 2; step++)
        {
            await request.Server.NotifyProgressAsync(new ProgressToken(token), new ProgressNotificationValue { Progress = step, Total = 2 }, cancellationToken: cancellationToken);
        }

        await ProgressSeen.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        return "done";
    }

    private static async Task<string> AnnounceAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        await request.Server.SendNotificationAsync(NotificationMethods.ToolListChangedNotification, cancellationToken);
        return "announced";
    }

    private static async Task<string> AskAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        var schema = JsonSerializer.Deserialize<ElicitRequestParams.RequestSchema>(
            """{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""", McpJsonUtilities.DefaultOptions)!;
        var answer = await request.Server.ElicitAsync(new ElicitRequestParams { Message = "Your name?", RequestedSchema = schema }, cancellationToken);
        return answer.Action == "accept" && answer.Content?.TryGetValue("name", out var name) == true ? name.GetString() ?? "" : answer.Action;
    }
}
