using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGrains.ConformanceServer;

/// <summary>
/// The tool and prompt the trigger tools add, so that a list really changes before list_changed is sent (2026-07-28
/// listen scenarios). Listed beside the fixed tools and prompts.
/// </summary>
internal static class DynamicLists
{
    private static int _tools;
    private static int _prompts;

    public static void AddTool() => Interlocked.Increment(ref _tools);

    public static void AddPrompt() => Interlocked.Increment(ref _prompts);

    public static List<Tool> Tools() => Volatile.Read(ref _tools) == 0 ? [] :
    [
        new Tool
        {
            Name = "test_dynamic_tool",
            Description = "Added by test_trigger_tool_change",
            InputSchema = JsonSerializer.Deserialize<JsonElement>("""{"type":"object","properties":{}}"""),
        },
    ];

    public static List<Prompt> Prompts() => Volatile.Read(ref _prompts) == 0 ? [] :
    [
        new Prompt { Name = "test_dynamic_prompt", Description = "Added by test_trigger_prompt_change" },
    ];

    public static CallToolResult Call(string? name) => name == "test_dynamic_tool" && Volatile.Read(ref _tools) > 0
        ? new CallToolResult { Content = [new TextContentBlock { Text = "dynamic tool called" }] }
        : throw new McpProtocolException($"Unknown tool: '{name}'", McpErrorCode.InvalidParams);

    public static GetPromptResult Get(string? name) => name == "test_dynamic_prompt" && Volatile.Read(ref _prompts) > 0
        ? new GetPromptResult { Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = "dynamic prompt" } }] }
        : throw new McpProtocolException($"Unknown prompt: '{name}'", McpErrorCode.InvalidParams);
}
