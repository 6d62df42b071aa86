using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpGrains.ConformanceServer;

/// <summary>
/// An unknown <c>MCP-Protocol-Version</c> on a request with per-request metadata (a 2026-07-28 client's) is answered
/// with the versions such a client can use; the SDK, serving sessions and stateless requests on one endpoint, would
/// list the session revisions too.
/// </summary>
internal static class StatelessVersionCheck
{
    private static readonly string[] Known = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"];

    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var requested = context.Request.Headers["MCP-Protocol-Version"].ToString();
        if (requested.Length == 0 || Known.Contains(requested) || !HttpMethods.IsPost(context.Request.Method))
        {
            await next(context);
            return;
        }

        context.Request.EnableBuffering();
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        context.Request.Body.Position = 0;
        if (body?["params"]?["_meta"] is not JsonObject)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = body["id"]?.DeepClone(),
            ["error"] = new JsonObject
            {
                ["code"] = -32022,
                ["message"] = $"The protocol version '{requested}' is not supported.",
                ["data"] = new JsonObject { ["supported"] = new JsonArray("2026-07-28"), ["requested"] = requested },
            },
        }, JsonSerializerOptions.Web);
    }
}
