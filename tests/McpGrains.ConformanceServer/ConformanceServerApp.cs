using System.Collections.Concurrent;
using System.Text.Json;
using McpGrains.ConformanceServer.Prompts;
using McpGrains.ConformanceServer.Resources;
using McpGrains.ConformanceServer.Tools;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

// Logging is deprecated by 2026-07-28; the earlier revisions' scenarios use it.
#pragma warning disable MCP9005

namespace McpGrains.ConformanceServer;

/// <summary>
/// The fixture: one Streamable HTTP endpoint (<c>/mcp</c>) with sessions for initialize-handshake clients and served
/// per request for 2026-07-28 clients, as the SDK does it; caching hints on cacheable results; resource
/// subscriptions; a 2026-07-28 listen stream that carries list changes; loopback-only Host and Origin (DNS rebinding).
/// </summary>
public static class ConformanceServerApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var subscriptions = new ConcurrentDictionary<string, ConcurrentDictionary<string, byte>>(StringComparer.Ordinal);
        builder.Services.AddSingleton<ListenStreams>();
        builder.Services.AddMcpServer(options => options.ServerInfo = new Implementation { Name = "mcpgrains-conformance-server", Version = "1.0.0" })
            .WithHttpTransport(http => http.SessionMode = HttpServerSessionMode.StatefulForInitializeClients)
            .WithTools<ContentTools>()
            .WithTools<InteractionTools>()
            .WithTools<InputRequiredTools>()
            .WithTools<StatelessDiagnosticTools>()
            .WithTools([ContentTools.JsonSchema202012Tool()])
            .WithPrompts<ConformancePrompts>()
            .WithResources<ConformanceResources>()
            .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult { Tools = DynamicLists.Tools() }))
            .WithCallToolHandler((context, _) => ValueTask.FromResult(DynamicLists.Call(context.Params?.Name)))
            .WithListPromptsHandler((_, _) => ValueTask.FromResult(new ListPromptsResult { Prompts = DynamicLists.Prompts() }))
            .WithGetPromptHandler((context, _) => ValueTask.FromResult(DynamicLists.Get(context.Params?.Name)))
            .WithCompleteHandler((_, _) => ValueTask.FromResult(new CompleteResult { Completion = new Completion { Values = [], Total = 0, HasMore = false } }))
            .WithSetLoggingLevelHandler(async (context, cancellationToken) =>
            {
                await context.Server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, new LoggingMessageNotificationParams
                {
                    Level = LoggingLevel.Info,
                    Logger = "conformance-server",
                    Data = JsonSerializer.SerializeToElement($"Log level set to {context.Params?.Level}"),
                }, cancellationToken: cancellationToken);
                return new EmptyResult();
            })
            .WithSubscribeToResourcesHandler((context, _) =>
            {
                subscriptions.GetOrAdd(context.Server.SessionId ?? "", _ => new()).TryAdd(context.Params?.Uri ?? "", 0);
                return ValueTask.FromResult(new EmptyResult());
            })
            .WithUnsubscribeFromResourcesHandler((context, _) =>
            {
                if (subscriptions.TryGetValue(context.Server.SessionId ?? "", out var uris))
                {
                    uris.TryRemove(context.Params?.Uri ?? "", out byte _);
                }

                return ValueTask.FromResult(new EmptyResult());
            })
            .WithSubscriptionsListenHandler((context, cancellationToken) => context.Services!.GetRequiredService<ListenStreams>().ListenAsync(context, cancellationToken))
            .WithRequestFilters(CachingHints.Add);

        var app = builder.Build();
        app.Use(LoopbackOnly.Middleware);
        app.Use(StatelessVersionCheck.Middleware);
        app.MapMcp("/mcp");
        app.MapGet("/health", () => "ok");
        return app;
    }
}
