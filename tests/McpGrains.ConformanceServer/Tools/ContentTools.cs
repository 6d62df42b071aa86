using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGrains.ConformanceServer.Tools;

/// <summary>Tools whose results carry each kind of content, and one that fails.</summary>
[McpServerToolType]
public sealed class ContentTools
{
    [McpServerTool(Name = "test_simple_text"), Description("Returns simple text content")]
    public static string SimpleText() => "This is a simple text response for testing.";

    [McpServerTool(Name = "test_image_content"), Description("Returns an image")]
    public static ImageContentBlock Image() => ImageContentBlock.FromBytes(Media.Png, "image/png");

    [McpServerTool(Name = "test_audio_content"), Description("Returns audio")]
    public static AudioContentBlock Audio() => AudioContentBlock.FromBytes(Media.Wav, "audio/wav");

    [McpServerTool(Name = "test_embedded_resource"), Description("Returns an embedded resource")]
    public static EmbeddedResourceBlock EmbeddedResource() => new()
    {
        Resource = new TextResourceContents { Uri = "test://embedded-resource", MimeType = "text/plain", Text = "This is an embedded resource content." },
    };

    [McpServerTool(Name = "test_multiple_content_types"), Description("Returns text, an image and an embedded resource")]
    public static ContentBlock[] MultipleContentTypes() =>
    [
        new TextContentBlock { Text = "Multiple content types test:" },
        ImageContentBlock.FromBytes(Media.Png, "image/png"),
        new EmbeddedResourceBlock
        {
            Resource = new TextResourceContents { Uri = "test://mixed-content-resource", MimeType = "application/json", Text = """{"test":"data","value":123}""" },
        },
    ];

    [McpServerTool(Name = "test_error_handling"), Description("Always fails")]
    public static string ErrorHandling() => throw new InvalidOperationException("This tool intentionally returns an error for testing");

    [McpServerTool(Name = "test_reconnection"), Description("Answers after the stream was closed (SSE polling)")]
    public static string Reconnection() => "Reconnection test completed successfully";

    /// <summary>A tool whose input schema uses JSON Schema 2020-12 features, kept as written.</summary>
    public static McpServerTool JsonSchema202012Tool()
    {
        var tool = McpServerTool.Create(() => "JSON Schema 2020-12 tool executed successfully", new McpServerToolCreateOptions
        {
            Name = "json_schema_2020_12_tool",
            Description = "Tool with JSON Schema 2020-12 features",
        });
        tool.ProtocolTool.InputSchema = JsonSerializer.Deserialize<JsonElement>("""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "$defs": { "address": { "type": "object", "properties": { "street": { "type": "string" }, "city": { "type": "string" } } } },
              "properties": { "name": { "type": "string" }, "address": { "$ref": "#/$defs/address" } },
              "additionalProperties": false
            }
            """);
        return tool;
    }
}
