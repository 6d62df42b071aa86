using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

#pragma warning disable MCP9005

namespace McpGrains.ConformanceServer.Tools;

/// <summary>Tools of the input-required result scenarios (SEP-2322): each asks for input until its retry carries it.</summary>
[McpServerToolType]
public sealed class InputRequiredTools
{
    private const string StateToken = "mcpgrains-conformance-state";

    [McpServerTool(Name = "test_input_required_result_elicitation"), Description("Asks for the user's name (elicitation)")]
    public static CallToolResult Elicitation(RequestContext<CallToolRequestParams> context) =>
        context.Params?.InputResponses?.TryGetValue("user_name", out var answer) == true
            ? InputRequired.Text($"Hello, {InputRequired.Field(answer, "name") ?? "world"}!")
            : throw new InputRequiredException(new Dictionary<string, InputRequest> { ["user_name"] = InputRequired.Elicit("What is your name?", "name") });

    [McpServerTool(Name = "test_input_required_result_sampling"), Description("Asks the client's model (sampling)")]
    public static CallToolResult Sampling(RequestContext<CallToolRequestParams> context) =>
        context.Params?.InputResponses?.TryGetValue("capital_question", out var answer) == true
            ? InputRequired.Text($"Sampling said: {answer.Deserialize(InputResponse.CreateMessageResultJsonTypeInfo)?.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "(no text)"}")
            : throw new InputRequiredException(new Dictionary<string, InputRequest> { ["capital_question"] = InputRequired.Sample("What is the capital of France?") });

    [McpServerTool(Name = "test_input_required_result_list_roots"), Description("Asks for the client's roots")]
    public static CallToolResult ListRoots(RequestContext<CallToolRequestParams> context) =>
        context.Params?.InputResponses?.TryGetValue("client_roots", out var answer) == true
            ? InputRequired.Text($"Got {answer.Deserialize(InputResponse.ListRootsResultJsonTypeInfo)?.Roots?.Count ?? 0} root(s) from the client.")
            : throw new InputRequiredException(new Dictionary<string, InputRequest> { ["client_roots"] = InputRequired.Roots() });

    [McpServerTool(Name = "test_input_required_result_request_state"), Description("Round-trips a request state")]
    public static CallToolResult RequestState(RequestContext<CallToolRequestParams> context) =>
        context.Params?.RequestState is { } state
            ? InputRequired.Text(state == StateToken ? "state-ok: the request state came back unchanged" : "state-mismatch: the request state came back changed")
            : throw new InputRequiredException(new Dictionary<string, InputRequest> { ["confirm"] = InputRequired.Elicit("Please confirm", "ok", "boolean") }, StateToken);

    [McpServerTool(Name = "test_input_required_result_multiple_inputs"), Description("Asks for three inputs at once")]
    public static CallToolResult MultipleInputs(RequestContext<CallToolRequestParams> context) =>
        context.Params?.InputResponses is { Count: >= 3 }
            ? InputRequired.Text("multiple-inputs-ok: elicitation, sampling and roots answered")
            : throw new InputRequiredException(
                new Dictionary<string, InputRequest>
                {
                    ["user_name"] = InputRequired.Elicit("What is your name?", "name"),
                    ["greeting"] = InputRequired.Sample("Generate a greeting", 50),
                    ["client_roots"] = InputRequired.Roots(),
                },
                "multiple-inputs-state");

    [McpServerTool(Name = "test_input_required_result_multi_round"), Description("Three rounds with a changing request state")]
    public static CallToolResult MultiRound(RequestContext<CallToolRequestParams> context) => context.Params?.RequestState switch
    {
        null => throw new InputRequiredException(new Dictionary<string, InputRequest> { ["step1"] = InputRequired.Elicit("Step 1: What is your name?", "name") }, "round-1"),
        "round-1" => throw new InputRequiredException(new Dictionary<string, InputRequest> { ["step2"] = InputRequired.Elicit("Step 2: What is your favorite color?", "color") }, "round-2"),
        _ => InputRequired.Text("multi-round-ok"),
    };

    [McpServerTool(Name = "test_input_required_result_tampered_state"), Description("Refuses a request state that was changed")]
    public static CallToolResult TamperedState(RequestContext<CallToolRequestParams> context) =>
        context.Params?.RequestState is { } state
            ? InputRequired.IsSigned(state)
                ? InputRequired.Text("tampered-state-ok: the request state is intact")
                : throw new McpProtocolException("The request state failed its integrity check.", McpErrorCode.InvalidParams)
            : throw new InputRequiredException(new Dictionary<string, InputRequest> { ["confirm"] = InputRequired.Elicit("Please confirm", "ok", "boolean") }, InputRequired.SignedState());

    [McpServerTool(Name = "test_input_required_result_capabilities"), Description("Asks only for what the client declared")]
    public static CallToolResult Capabilities(RequestContext<CallToolRequestParams> context)
    {
        if (context.Params?.InputResponses is { Count: > 0 })
        {
            return InputRequired.Text("capability-check-ok: input responses received");
        }

        var declared = context.JsonRpcRequest.Context?.ClientCapabilities ?? context.Server.ClientCapabilities;
        var requests = new Dictionary<string, InputRequest>();
        if (declared?.Sampling is not null)
        {
            requests["capital_question"] = InputRequired.Sample("What is the capital of France?");
        }

        if (declared?.Elicitation is not null)
        {
            requests["user_name"] = InputRequired.Elicit("What is your name?", "name");
        }

        if (declared?.Roots is not null)
        {
            requests["client_roots"] = InputRequired.Roots();
        }

        return requests.Count == 0 ? InputRequired.Text("capability-check-ok: the client declared nothing to ask for") : throw new InputRequiredException(requests);
    }
}
