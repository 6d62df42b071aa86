using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

// Sampling and roots are deprecated by 2026-07-28 as direct requests; as input requests they are that revision's own.
#pragma warning disable MCP9005

namespace McpGrains.ConformanceServer.Tools;

/// <summary>Building blocks of the input-required (SEP-2322) tools and prompt.</summary>
internal static class InputRequired
{
    private static readonly byte[] StateKey = RandomNumberGenerator.GetBytes(32);

    public static InputRequest Elicit(string message, string property, string type = "string") =>
        InputRequest.ForElicitation(new ElicitRequestParams
        {
            Message = message,
            RequestedSchema = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { [property] = new JsonObject { ["type"] = type } },
                ["required"] = new JsonArray(property),
            }.Deserialize<ElicitRequestParams.RequestSchema>(McpJsonUtilities.DefaultOptions)!,
        });

    public static InputRequest Sample(string question, int maxTokens = 100) =>
        InputRequest.ForSampling(new CreateMessageRequestParams
        {
            Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = question }] }],
            MaxTokens = maxTokens,
        });

    public static InputRequest Roots() => InputRequest.ForRootsList(new ListRootsRequestParams());

    public static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };

    /// <summary>A string field of an elicitation answer.</summary>
    public static string? Field(InputResponse response, string name) =>
        response.Deserialize(InputResponse.ElicitResultJsonTypeInfo)?.Content is { } content && content.TryGetValue(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()
            : null;

    /// <summary>A request state the client cannot forge: a nonce and its HMAC.</summary>
    public static string SignedState()
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return nonce + "." + Sign(nonce);
    }

    public static bool IsSigned(string state)
    {
        var dot = state.LastIndexOf('.');
        return dot > 0 && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(state[(dot + 1)..]), Encoding.ASCII.GetBytes(Sign(state[..dot])));
    }

    private static string Sign(string nonce) => Convert.ToHexString(HMACSHA256.HashData(StateKey, Encoding.UTF8.GetBytes(nonce)));
}
