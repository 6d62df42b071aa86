using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using McpGrains.ConformanceServer.Tools;

namespace McpGrains.ConformanceServer.Prompts;

/// <summary>The prompts the suite gets: plain, with arguments, with an embedded resource, with an image, and one that asks for input.</summary>
[McpServerPromptType]
public sealed class ConformancePrompts
{
    [McpServerPrompt(Name = "test_simple_prompt"), Description("A prompt without arguments")]
    public static string Simple() => "This is a simple prompt without arguments";

    [McpServerPrompt(Name = "test_prompt_with_arguments"), Description("A prompt with two arguments")]
    public static string WithArguments([Description("First test argument")] string arg1, [Description("Second test argument")] string arg2) =>
        $"Prompt with arguments: arg1={arg1}, arg2={arg2}";

    [McpServerPrompt(Name = "test_prompt_with_embedded_resource"), Description("A prompt that embeds a resource")]
    public static PromptMessage[] WithEmbeddedResource([Description("URI of the resource to embed")] string resourceUri) =>
    [
        new() { Role = Role.User, Content = new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = resourceUri, MimeType = "text/plain", Text = "Embedded resource content for testing." } } },
        new() { Role = Role.User, Content = new TextContentBlock { Text = "Please process the embedded resource above." } },
    ];

    [McpServerPrompt(Name = "test_prompt_with_image"), Description("A prompt with an image")]
    public static PromptMessage[] WithImage() =>
    [
        new() { Role = Role.User, Content = ImageContentBlock.FromBytes(Media.Png, "image/png") },
        new() { Role = Role.User, Content = new TextContentBlock { Text = "Please analyze the image above." } },
    ];

    [McpServerPrompt(Name = "test_input_required_result_prompt"), Description("Asks for context before it is built (SEP-2322)")]
    public static GetPromptResult InputRequiredPrompt(RequestContext<GetPromptRequestParams> context) =>
        context.Params?.InputResponses?.TryGetValue("user_context", out var answer) == true
            ? new GetPromptResult
            {
                Description = "A prompt built with the context the user gave.",
                Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = $"Please continue using context: {InputRequired.Field(answer, "context") ?? "(none)"}" } }],
            }
            : throw new InputRequiredException(new Dictionary<string, InputRequest> { ["user_context"] = InputRequired.Elicit("What context should the prompt use?", "context") });
}
