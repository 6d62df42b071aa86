using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGrains.Demo;

/// <summary>
/// The demo MCP server (Streamable HTTP at <c>/mcp</c>), protected by the demo authorization server: a request
/// without a valid bearer token gets 401 with RFC 9728 <c>resource_metadata</c>, as real OAuth-protected MCP servers
/// answer. Tools: <c>whoami</c> (the name the user signed in with), <c>echo</c> and <c>add</c>.
/// </summary>
public sealed class DemoMcpServer(DemoTokens tokens, DemoOrigin origin)
{
    public const string McpPath = "/mcp";
    public const string Scope = "demo:tools";
    private const string MetadataPath = "/.well-known/oauth-protected-resource";

    public static void AddServices(IServiceCollection services) =>
        services.AddMcpServer(options => options.ServerInfo = new Implementation { Name = "mcpgrains-demo", Version = "1.0.0" })
            .WithHttpTransport(options => options.Stateless = true)
            .WithTools(
            [
                McpServerTool.Create(
                    (RequestContext<CallToolRequestParams> request) => $"You are signed in to the demo as {request.User?.Identity?.Name ?? "nobody"}.",
                    new McpServerToolCreateOptions { Name = "whoami", Description = "Says whose demo account this connection uses." }),
                McpServerTool.Create(
                    ([Description("The text to send back")] string message) => message,
                    new McpServerToolCreateOptions { Name = "echo", Description = "Returns its message." }),
                McpServerTool.Create(
                    ([Description("First number")] double a, [Description("Second number")] double b) => a + b,
                    new McpServerToolCreateOptions { Name = "add", Description = "Adds two numbers." }),
            ]);

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(AuthenticateAsync);
        app.MapGet(MetadataPath + McpPath, Metadata);
        app.MapGet(MetadataPath, Metadata);
        app.MapMcp(McpPath);
    }

    private string Resource => origin.Url + McpPath;

    private IResult Metadata() => Results.Json(new JsonObject
    {
        ["resource"] = Resource,
        ["authorization_servers"] = new JsonArray(origin.Url),
        ["scopes_supported"] = new JsonArray(Scope),
        ["bearer_methods_supported"] = new JsonArray("header"),
        ["resource_name"] = "McpGrains demo MCP server",
    });

    private async Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments(McpPath))
        {
            await next(context);
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        var grant = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? tokens.Authenticate(authorization["Bearer ".Length..].Trim()) : null;
        if (grant is null || (grant.Request.Resource is { } resource && resource.TrimEnd('/') != Resource))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = $"Bearer resource_metadata=\"{origin.Url}{MetadataPath}{McpPath}\", scope=\"{Scope}\""
                + (authorization.Length > 0 ? ", error=\"invalid_token\"" : string.Empty);
            return;
        }

        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, grant.UserName)], authenticationType: "Bearer"));
        await next(context);
    }
}
