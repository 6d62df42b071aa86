using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// Logging and sampling are deprecated by 2026-07-28; the earlier revisions' scenarios use them.
#pragma warning disable MCP9005

namespace McpGrains.ConformanceServer.Tools;

/// <summary>Tools that talk back during the call: logging, progress, sampling and elicitation.</summary>
[McpServerToolType]
public sealed class InteractionTools
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    [McpServerTool(Name = "test_tool_with_logging"), Description("Sends three log messages while it runs")]
    public static async Task<string> WithLogging(McpServer server, CancellationToken cancellationToken)
    {
        string[] messages = ["Tool execution started", "Tool processing data", "Tool execution completed"];
        for (var i = 0; i < messages.Length; i++)
        {
            if (i > 0)
            {
                await Task.Delay(Step, cancellationToken);
            }

            await server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, new LoggingMessageNotificationParams
            {
                Level = LoggingLevel.Info,
                Logger = "test_tool_with_logging",
                Data = JsonSerializer.SerializeToElement(messages[i]),
            }, cancellationToken: cancellationToken);
        }

        return "Tool with logging executed successfully";
    }

    [McpServerTool(Name = "test_tool_with_progress"), Description("Reports progress 0, 50 and 100 of 100")]
    public static async Task<string> WithProgress(McpServer server, RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        if (context.Params?.ProgressToken is not { } token)
        {
            await Task.Delay(Step * 2, cancellationToken);
            return "No progress token provided";
        }

        foreach (var progress in new[] { 0, 50, 100 })
        {
            if (progress > 0)
            {
                await Task.Delay(Step, cancellationToken);
            }

            await server.NotifyProgressAsync(token, new ProgressNotificationValue { Progress = progress, Total = 100 }, cancellationToken: cancellationToken);
        }

        return token.ToString() ?? "";
    }

    [McpServerTool(Name = "test_sampling"), Description("Asks the client's model")]
    public static async Task<string> Sampling(McpServer server, [Description("The prompt to send to the model")] string prompt, CancellationToken cancellationToken)
    {
        try
        {
            var result = await server.SampleAsync(new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
                MaxTokens = 100,
            }, cancellationToken);
            return $"LLM response: {(result.Content.OfType<TextContentBlock>().FirstOrDefault())?.Text ?? "(no text)"}";
        }
        catch (Exception ex) when (ex is McpException or InvalidOperationException)
        {
            return $"Sampling not supported or failed: {ex.Message}";
        }
    }

    [McpServerTool(Name = "test_elicitation"), Description("Asks the user for input")]
    public static Task<string> Elicitation(McpServer server, [Description("The message to show the user")] string message, CancellationToken cancellationToken) =>
        ElicitAsync(server, message, """
            {"type":"object","properties":{"username":{"type":"string","description":"User's response"},"email":{"type":"string","description":"User's email address"}},"required":["username","email"]}
            """, "User response", cancellationToken);

    [McpServerTool(Name = "test_elicitation_sep1034_defaults"), Description("Elicits with defaults for every primitive type (SEP-1034)")]
    public static Task<string> ElicitationDefaults(McpServer server, CancellationToken cancellationToken) =>
        ElicitAsync(server, "Test elicitation with default values for primitive types", """
            {"type":"object","properties":{
              "name":{"type":"string","description":"Name","default":"John Doe"},
              "age":{"type":"integer","description":"Age","default":30},
              "score":{"type":"number","description":"Score","default":95.5},
              "status":{"type":"string","description":"Status","enum":["active","inactive","pending"],"default":"active"},
              "verified":{"type":"boolean","description":"Verified","default":true}}}
            """, "Elicitation completed", cancellationToken);

    [McpServerTool(Name = "test_elicitation_sep1330_enums"), Description("Elicits with every enum form (SEP-1330)")]
    public static Task<string> ElicitationEnums(McpServer server, CancellationToken cancellationToken) =>
        ElicitAsync(server, "Test elicitation with enum schema", """
            {"type":"object","properties":{
              "untitledSingle":{"type":"string","description":"Choose an option","enum":["option1","option2","option3"]},
              "titledSingle":{"type":"string","description":"Choose a titled option","oneOf":[{"const":"value1","title":"First Option"},{"const":"value2","title":"Second Option"},{"const":"value3","title":"Third Option"}]},
              "legacyEnum":{"type":"string","description":"Choose a legacy option","enum":["opt1","opt2","opt3"],"enumNames":["Option One","Option Two","Option Three"]},
              "untitledMulti":{"type":"array","description":"Choose options","items":{"type":"string","enum":["option1","option2","option3"]}},
              "titledMulti":{"type":"array","description":"Choose titled options","items":{"anyOf":[{"const":"value1","title":"First Choice"},{"const":"value2","title":"Second Choice"},{"const":"value3","title":"Third Choice"}]}}}}
            """, "Elicitation completed", cancellationToken);

    private static async Task<string> ElicitAsync(McpServer server, string message, string schema, string label, CancellationToken cancellationToken)
    {
        try
        {
            var result = await server.ElicitAsync(new ElicitRequestParams
            {
                Message = message,
                RequestedSchema = JsonSerializer.Deserialize<ElicitRequestParams.RequestSchema>(schema, McpJsonUtilities.DefaultOptions)!,
            }, cancellationToken);
            return $"{label}: action={result.Action}, content={JsonSerializer.Serialize(result.Content, McpJsonUtilities.DefaultOptions)}";
        }
        catch (Exception ex) when (ex is McpException or InvalidOperationException)
        {
            return $"Elicitation not supported or failed: {ex.Message}";
        }
    }
}
