using System.Collections.Concurrent;
using McpGrains.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// An open, stateful MCP server shared by every user, whose tools let one user's upstream session emit progress with
/// any token: <c>wait</c> reports progress 1 on its own request, records the token it was given (as the upstream sees
/// it, rewritten by McpGrains), reports progress 2 once released and answers once finished (progress travels apart
/// from the answer: it is lost when it arrives after it); <c>inject</c> reports progress 99 with a token given as an
/// argument, then progress 1 with its own.
/// </summary>
public sealed class ProgressInjectionServer : IAsyncDisposable
{
    public const float InjectedProgress = 99;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Waiter> _waiters = new(StringComparer.Ordinal);

    private ProgressInjectionServer(WebApplication app)
    {
        _app = app;
    }

    public Uri McpUri { get; private set; } = null!;

    public static async Task<ProgressInjectionServer> StartAsync()
    {
        var builder = LoopbackWebHost.CreateBuilder();
        ProgressInjectionServer? server = null;
        builder.Services.AddMcpServer()
            .WithHttpTransport(http => http.SessionMode = HttpServerSessionMode.Stateful)
            .WithTools(
            [
                McpServerTool.Create((RequestContext<CallToolRequestParams> request, string key, CancellationToken cancellationToken) => server!.WaitAsync(request, key, cancellationToken), new McpServerToolCreateOptions { Name = "wait", Description = "Reports progress, waits, reports progress." }),
                McpServerTool.Create(InjectAsync, new McpServerToolCreateOptions { Name = "inject", Description = "Reports progress with any token." }),
            ]);
        var app = builder.Build();
        server = new ProgressInjectionServer(app);
        app.MapMcp("/mcp");
        server.McpUri = new Uri(LoopbackWebHost.Format(await LoopbackWebHost.StartAsync(app, CancellationToken.None)) + "/mcp");
        return server;
    }

    /// <summary>The progress token the <c>wait</c> call of <paramref name="key"/> received, once it has reported progress 1.</summary>
    public Task<string> TokenOfAsync(string key) => WaiterOf(key).Token.Task.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Lets the <c>wait</c> call of <paramref name="key"/> report progress 2.</summary>
    public void Release(string key) => WaiterOf(key).Released.TrySetResult();

    /// <summary>Lets the <c>wait</c> call of <paramref name="key"/> answer.</summary>
    public void Finish(string key) => WaiterOf(key).Finished.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<string> WaitAsync(RequestContext<CallToolRequestParams> request, string key, CancellationToken cancellationToken)
    {
        var token = OwnToken(request);
        var waiter = WaiterOf(key);
        await request.Server.NotifyProgressAsync(new ProgressToken(token), new ProgressNotificationValue { Progress = 1 }, cancellationToken: cancellationToken);
        waiter.Token.TrySetResult(token);
        await waiter.Released.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        await request.Server.NotifyProgressAsync(new ProgressToken(token), new ProgressNotificationValue { Progress = 2 }, cancellationToken: cancellationToken);
        await waiter.Finished.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return "done";
    }

    private static async Task<string> InjectAsync(RequestContext<CallToolRequestParams> request, string token, CancellationToken cancellationToken)
    {
        await request.Server.NotifyProgressAsync(new ProgressToken(token), new ProgressNotificationValue { Progress = InjectedProgress }, cancellationToken: cancellationToken);
        await request.Server.NotifyProgressAsync(new ProgressToken(OwnToken(request)), new ProgressNotificationValue { Progress = 1 }, cancellationToken: cancellationToken);
        return "injected";
    }

    private static string OwnToken(RequestContext<CallToolRequestParams> request) =>
        request.JsonRpcRequest.Params?["_meta"]?["progressToken"]?.GetValue<string>()
            ?? throw new McpProtocolException("No progress token.", McpErrorCode.InvalidParams);

    private Waiter WaiterOf(string key) => _waiters.GetOrAdd(key, _ => new Waiter());

    private sealed class Waiter
    {
        public TaskCompletionSource<string> Token { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
