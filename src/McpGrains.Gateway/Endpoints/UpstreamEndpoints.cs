using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGrains.Configuration;
using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Contracts;
using McpGrains.Gateway.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Orleans;

namespace McpGrains.Gateway.Endpoints;

/// <summary>
/// <c>/api/v1/users/{userId}/connections/{serverId}/{tools,resources,prompts}</c>: the upstream server's tools,
/// resources and prompts over REST, through the user's live upstream session. Results are MCP objects as the upstream
/// sent them.
/// </summary>
public static class UpstreamEndpoints
{
    /// <summary>Pages followed when listing, so that a server cannot make one REST call loop forever.</summary>
    private const int MaxPages = 50;

    public static RouteGroupBuilder MapUpstreamEndpoints(this RouteGroupBuilder group)
    {
        var upstream = group.MapGroup("/users/{userId}/connections/{serverId}").WithTags("Tools, resources and prompts");

        MapList(upstream, "tools", "ListTools", "The upstream server's tools (MCP Tool objects): {\"tools\": [...]}.");
        upstream.MapPost("/tools/{toolName}", CallToolAsync)
            .WithName("CallTool")
            .WithSummary("Calls a tool with {\"arguments\": {...}}; answers the MCP CallToolResult.")
            .Accepts<InvokeRequest>(isOptional: true, "application/json");
        MapList(upstream, "resources", "ListResources", "The upstream server's resources: {\"resources\": [...]}.");
        upstream.MapGet("/resources/read", ReadResourceAsync)
            .WithName("ReadResource")
            .WithSummary("Reads the resource named by the uri query parameter; answers the MCP ReadResourceResult.");
        MapList(upstream, "prompts", "ListPrompts", "The upstream server's prompts: {\"prompts\": [...]}.");
        upstream.MapPost("/prompts/{promptName}", GetPromptAsync)
            .WithName("GetPrompt")
            .WithSummary("Gets a prompt with {\"arguments\": {...}}; answers the MCP GetPromptResult.")
            .Accepts<InvokeRequest>(isOptional: true, "application/json");

        upstream
            .RequireRateLimiting(RateLimitPolicies.Calls)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        return group;
    }

    /// <summary><c>GET /{member}</c>: every page of <c>{member}/list</c>, as <c>{"member": [...]}</c>.</summary>
    private static void MapList(RouteGroupBuilder group, string member, string name, string summary) =>
        group.MapGet("/" + member, (HostApp hostApp, string userId, string serverId, HttpRequest request, IOptions<McpGrainsOptions> options, IGrainFactory grains, CancellationToken ct) =>
                ListAsync(hostApp, userId, serverId, request, options, grains, member + "/list", member, ct))
            .WithName(name)
            .WithSummary(summary);

    private static async Task<IResult> ListAsync(
        HostApp hostApp, string userId, string serverId, HttpRequest request, IOptions<McpGrainsOptions> options, IGrainFactory grains, string method, string member, CancellationToken cancellationToken)
    {
        if (!SessionKeyResolver.TryResolve(hostApp, userId, serverId, options.Value, out var key, out var problem)
            || !UserLabelHeader.TryRead(request, options.Value, out var userLabel, out problem)
            || !UserIdentity.TryReadHeader(request, options.Value, hostApp.TenantId, out var identity, out problem))
        {
            return problem;
        }

        var session = grains.SessionGrain(key);
        var items = new JsonArray();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var parameters = cursor is null ? null : new JsonObject { ["cursor"] = cursor }.ToJsonString();
            var result = await session.SendAsync(new UpstreamRequest(method, parameters, userLabel, identity), cancellationToken);
            if (result.Outcome != UpstreamOutcome.Success)
            {
                return UpstreamProblems.From(result, serverId);
            }

            var body = JsonNode.Parse(result.ResultJson!) as JsonObject;
            if (body?[member] is JsonArray list)
            {
                foreach (var item in list.ToArray())
                {
                    list.Remove(item);
                    items.Add(item);
                }
            }

            cursor = body?["nextCursor"]?.GetValue<string>();
            if (string.IsNullOrEmpty(cursor))
            {
                break;
            }
        }

        return TypedResults.Json(new JsonObject { [member] = items });
    }

    private static async Task<IResult> CallToolAsync(
        HostApp hostApp, string userId, string serverId, string toolName, HttpRequest request,
        IOptions<McpGrainsOptions> options, IOptions<JsonOptions> jsonOptions, IGrainFactory grains, CancellationToken cancellationToken) =>
        await InvokeAsync(hostApp, userId, serverId, toolName, request, options, jsonOptions, grains, "tools/call", cancellationToken);

    private static async Task<IResult> GetPromptAsync(
        HostApp hostApp, string userId, string serverId, string promptName, HttpRequest request,
        IOptions<McpGrainsOptions> options, IOptions<JsonOptions> jsonOptions, IGrainFactory grains, CancellationToken cancellationToken) =>
        await InvokeAsync(hostApp, userId, serverId, promptName, request, options, jsonOptions, grains, "prompts/get", cancellationToken);

    private static async Task<IResult> InvokeAsync(
        HostApp hostApp, string userId, string serverId, string name, HttpRequest request,
        IOptions<McpGrainsOptions> options, IOptions<JsonOptions> jsonOptions, IGrainFactory grains, string method, CancellationToken cancellationToken)
    {
        if (!SessionKeyResolver.TryResolve(hostApp, userId, serverId, options.Value, out var key, out var problem)
            || !UserLabelHeader.TryRead(request, options.Value, out var userLabel, out problem)
            || !UserIdentity.TryReadHeader(request, options.Value, hostApp.TenantId, out var identity, out problem))
        {
            return problem;
        }

        if (string.IsNullOrEmpty(name) || name.Length > 256)
        {
            return GatewayProblems.InvalidBody("The name must be 1 to 256 characters.");
        }

        var (body, bodyProblem) = await OptionalJsonBody.ReadAsync<InvokeRequest>(request, jsonOptions.Value.SerializerOptions, options.Value.Limits.MaxRequestBodyBytes, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var arguments = body?.Arguments;
        if (arguments is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            return GatewayProblems.InvalidBody("\"arguments\" must be a JSON object.");
        }

        var result = await grains.SessionGrain(key).SendAsync(new UpstreamRequest(method, WriteInvokeParams(name, arguments), userLabel, identity), cancellationToken);
        return result.Outcome == UpstreamOutcome.Success
            ? TypedResults.Text(result.ResultJson!, "application/json")
            : UpstreamProblems.From(result, serverId);
    }

    /// <summary><c>{"name": ..., "arguments": {...}}</c>, written straight from the parsed body.</summary>
    private static string WriteInvokeParams(string name, JsonElement? arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            if (arguments is { ValueKind: JsonValueKind.Object } args)
            {
                writer.WritePropertyName("arguments");
                args.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async Task<IResult> ReadResourceAsync(
        HostApp hostApp, string userId, string serverId, string? uri, HttpRequest request, IOptions<McpGrainsOptions> options, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!SessionKeyResolver.TryResolve(hostApp, userId, serverId, options.Value, out var key, out var problem)
            || !UserLabelHeader.TryRead(request, options.Value, out var userLabel, out problem)
            || !UserIdentity.TryReadHeader(request, options.Value, hostApp.TenantId, out var identity, out problem))
        {
            return problem;
        }

        if (string.IsNullOrEmpty(uri) || uri.Length > 8192)
        {
            return GatewayProblems.InvalidBody("The uri query parameter is required (at most 8192 characters).");
        }

        var parameters = new JsonObject { ["uri"] = uri }.ToJsonString();
        var result = await grains.SessionGrain(key).SendAsync(new UpstreamRequest("resources/read", parameters, userLabel, identity), cancellationToken);
        return result.Outcome == UpstreamOutcome.Success
            ? TypedResults.Text(result.ResultJson!, "application/json")
            : UpstreamProblems.From(result, serverId);
    }
}
