using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using McpGrains.Demo;

namespace McpGrains.Host;

/// <summary>
/// <c>McpGrains.Host demo [--port 5080]</c>: McpGrains as <c>dotnet run</c> runs it, in memory, together with the demo
/// world (an authorization server with sign-in and consent pages, and an MCP server it protects, configured as server
/// <c>demo</c>), all on 127.0.0.1 only, with fresh random keys, then prints what to do next. It runs in the Development
/// environment and refuses any other, and refuses a PostgreSQL connection string or a cluster role: demo data and
/// plain-http loopback settings must never meet a real deployment.
/// </summary>
public static class DemoCommand
{
    public const string Name = "demo";
    public const string ServerId = "demo";
    public const string HostApp = "librechat";
    public const string DemoUser = "alice";
    private const int DefaultPort = 5080;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (RefusalOf(args, out var port) is { } refusal)
        {
            await Console.Error.WriteLineAsync("demo: " + refusal);
            return 2;
        }

        await using var world = await DemoWorld.StartAsync(cancellationToken);
        var hostKey = "demo-" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        var publicBaseUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development, ContentRootPath = AppContext.BaseDirectory });
        if (ProductionSettingOf(builder.Configuration) is { } setting)
        {
            await Console.Error.WriteLineAsync($"demo: {setting} is set; demo mode runs in memory only and never joins a real deployment. Unset it to run the demo.");
            return 2;
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["McpGrains:PublicBaseUrl"] = publicBaseUrl,
            ["McpGrains:Security:AllowInsecureLoopback"] = "true",
            ["McpGrains:Security:Keys:demo"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["McpGrains:Security:ActiveKeyId"] = "demo",
            [$"McpGrains:HostApps:{HostApp}:ApiKey"] = hostKey,
            [$"McpGrains:HostApps:{HostApp}:DisplayName"] = "LibreChat (demo)",
            [$"McpGrains:HostApps:{HostApp}:ConnectionsPage"] = "true",
            [$"McpGrains:Servers:{ServerId}:Url"] = world.McpUrl,
            [$"McpGrains:Servers:{ServerId}:DisplayName"] = "Demo tools",
            ["McpGrains:Orleans:SiloPort"] = FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
            ["McpGrains:Orleans:GatewayPort"] = FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        await using var app = HostApplication.Build(builder);
        await app.StartAsync(cancellationToken);

        var signInLink = await MintSignInLinkAsync(publicBaseUrl, hostKey, cancellationToken);
        await output.WriteAsync(DemoInstructions.Render(publicBaseUrl, hostKey, world, signInLink));
        await output.FlushAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>Why the demo must not start (an environment other than Development, a bad argument), or null.</summary>
    private static string? RefusalOf(string[] args, out int port)
    {
        port = DefaultPort;
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        if (!string.IsNullOrEmpty(environment) && !string.Equals(environment, Environments.Development, StringComparison.OrdinalIgnoreCase))
        {
            return $"the environment is '{environment}'; demo mode runs in Development only (plain http on loopback, throwaway keys). "
                + "Unset ASPNETCORE_ENVIRONMENT and DOTNET_ENVIRONMENT, or set them to Development, to run the demo.";
        }

        return args switch
        {
            [] => null,
            ["--port", var value] when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536 => null,
            _ => "usage: McpGrains.Host demo [--port <port>] (default 5080).",
        };
    }

    /// <summary>A setting that belongs to a real deployment (storage, cluster role), or null.</summary>
    private static string? ProductionSettingOf(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["McpGrains:Postgres:ConnectionString"]) ? "McpGrains:Postgres:ConnectionString"
        : HostRoles.Read(configuration) != HostRole.All ? HostRoles.ConfigurationKey
        : null;

    /// <summary>Alice's sign-in link, asked of McpGrains' own REST API as a host app would.</summary>
    private static async Task<string> MintSignInLinkAsync(string publicBaseUrl, string hostKey, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri(publicBaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", hostKey);
        using var response = await client.PostAsJsonAsync(
            $"/api/v1/users/{DemoUser}/connections/{ServerId}/authorize", new { userLabel = "alice@example.com" }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("authorizationUrl").GetString()!;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
