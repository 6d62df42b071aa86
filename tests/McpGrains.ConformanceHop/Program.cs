using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

// dotnet McpGrains.ConformanceHop.dll --urls http://127.0.0.1:H --target http://127.0.0.1:M/mcp/<serverId>
//   --hostKey <McpGrains host app key> --user <user id>
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var target = new Uri(builder.Configuration["target"] ?? throw new ArgumentException("--target is required"));
var hostKey = builder.Configuration["hostKey"] ?? throw new ArgumentException("--hostKey is required");
var user = builder.Configuration["user"] ?? "conformance-user";

builder.Services.AddReverseProxy().LoadFromMemory(
    [
        new RouteConfig
        {
            RouteId = "mcp",
            ClusterId = "mcpgrains",
            Match = new RouteMatch { Path = "/mcp" },
            Transforms =
            [
                new Dictionary<string, string> { ["PathSet"] = target.AbsolutePath },
                new Dictionary<string, string> { ["RequestHeader"] = "Authorization", ["Set"] = "Bearer " + hostKey },
                new Dictionary<string, string> { ["RequestHeader"] = "X-User-Id", ["Set"] = user },
            ],
        },
    ],
    [
        new ClusterConfig
        {
            ClusterId = "mcpgrains",
            Destinations = new Dictionary<string, DestinationConfig> { ["mcpgrains"] = new() { Address = target.GetLeftPart(UriPartial.Authority) } },
            // Streams (GET, listen) stay open between messages: McpGrains writes keep-alives well within this.
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromMinutes(10) },
        },
    ]);

var app = builder.Build();
app.MapReverseProxy();
app.MapGet("/health", () => "ok");
await app.RunAsync();
