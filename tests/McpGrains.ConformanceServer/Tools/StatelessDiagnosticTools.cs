using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGrains.ConformanceServer.Tools;

/// <summary>Diagnostic tools of the 2026-07-28 stateless scenario (SEP-2575), and the hooks that change the lists.</summary>
[McpServerToolType]
public sealed class StatelessDiagnosticTools
{
    [McpServerTool(Name = "test_missing_capability"), Description("Needs the sampling capability (-32021 without it)")]
    public static string MissingCapability(RequestContext<CallToolRequestParams> context)
    {
#pragma warning disable MCP9005
        var declared = context.JsonRpcRequest.Context?.ClientCapabilities ?? context.Server.ClientCapabilities;
        return declared?.Sampling is not null
            ? "The client declared sampling; the tool ran."
            : throw new MissingRequiredClientCapabilityException(new ClientCapabilities { Sampling = new SamplingCapability() }, "The sampling capability is required but was not declared.");
#pragma warning restore MCP9005
    }

    [McpServerTool(Name = "test_streaming_elicitation"), Description("Answers with result frames only")]
    public static string StreamingElicitation() => "Only result frames: no request of its own on the response stream.";

    [McpServerTool(Name = "test_logging_tool"), Description("Tries to log; dropped unless the request set a log level")]
    public static string LoggingTool(RequestContext<CallToolRequestParams> context)
    {
#pragma warning disable MCP9004, MCP9005 // The client logger is the log-level-gated path.
        context.Server.AsClientLoggerProvider().CreateLogger(nameof(StatelessDiagnosticTools)).LogInformation("test_logging_tool ran");
#pragma warning restore MCP9004, MCP9005
        return "Logged, if the request asked for logs.";
    }

    [McpServerTool(Name = "test_trigger_tool_change"), Description("Adds a tool and tells the clients")]
    public static Task<string> TriggerToolChange(RequestContext<CallToolRequestParams> context) =>
        ChangeAsync(context, DynamicLists.AddTool, NotificationMethods.ToolListChangedNotification);

    [McpServerTool(Name = "test_trigger_prompt_change"), Description("Adds a prompt and tells the clients")]
    public static Task<string> TriggerPromptChange(RequestContext<CallToolRequestParams> context) =>
        ChangeAsync(context, DynamicLists.AddPrompt, NotificationMethods.PromptListChangedNotification);

    private static async Task<string> ChangeAsync(RequestContext<CallToolRequestParams> context, Action change, string method)
    {
        change();
        await context.Services!.GetRequiredService<ListenStreams>().ListChangedAsync(method);
        if (context.Server.SessionId is not null)
        {
            await context.Server.SendNotificationAsync(method);
        }

        return "changed";
    }
}
