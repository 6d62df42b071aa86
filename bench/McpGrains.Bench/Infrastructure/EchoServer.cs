using System.Net;
using System.Security.Cryptography.X509Certificates;
using ModelContextProtocol.Server;

namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// The fast upstream MCP server every proxy is measured against: one <c>echo</c> tool, served by the C# SDK over
/// Streamable HTTP (for the direct call and McpGrains) or stdio (behind supergateway). Runs in a child process of the
/// bench (<c>McpGrains.Bench echo-server http|stdio</c>, or <c>https address certificate.pem key.pem</c> for a
/// production node, see <see cref="EchoTls"/>) so that its memory and CPU are not counted as the proxy's.
/// </summary>
public static class EchoServer
{
    public const string Command = "echo-server";

    public const string ReadyLine = "LISTENING ";

    public static string Echo(string message) => message;

    private static McpServerTool[] Tools() =>
    [
        McpServerTool.Create((string message) => Echo(message), new McpServerToolCreateOptions { Name = "echo", Description = "Returns its message argument." }),
    ];

    public static async Task<int> RunAsync(string[] arguments)
    {
        var mode = arguments[0];
        if (mode == "stdio")
        {
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services.AddMcpServer().WithStdioServerTransport().WithTools(Tools());
            await builder.Build().RunAsync();
            return 0;
        }

        var web = WebApplication.CreateSlimBuilder();
        web.Logging.ClearProviders();
        if (mode == "https")
        {
            var certificate = X509Certificate2.CreateFromPemFile(arguments[2], arguments[3]);
            web.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(arguments[1]), 0, listen => listen.UseHttps(certificate)));
        }
        else
        {
            web.WebHost.UseUrls("http://127.0.0.1:0");
        }

        web.Services.AddMcpServer().WithHttpTransport(options => options.Stateless = false).WithTools(Tools());
        var app = web.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        var address = app.Urls.First();
        await Console.Out.WriteLineAsync(ReadyLine + address.TrimEnd('/') + "/mcp");
        await Console.Out.FlushAsync();
        await app.WaitForShutdownAsync();
        return 0;
    }
}
