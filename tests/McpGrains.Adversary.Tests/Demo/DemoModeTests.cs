using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Adversary.Tests.Chromium;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.Demo;

/// <summary>
/// Demo mode as a newcomer meets it: the host dll started with <c>demo</c>, its printed sign-in link followed in
/// headless Chromium through every page a user sees (McpGrains' confirmation page, the demo authorization server's
/// sign-in and consent pages, the connected page, the connections page), then a tool called through /mcp/demo by the
/// MCP TypeScript SDK's client, which sees the name the user signed in with. The screenshots are the README's
/// walkthrough. Demo mode refuses to start with production settings.
/// </summary>
public sealed class DemoModeTests
{
    [Fact]
    public async Task Demo_PrintedSignInLink_ThroughConsent_ThenTheTypeScriptClientSeesTheUsersName()
    {
        await using var demo = DemoProcess.Start();
        var link = await demo.SignInLinkAsync();
        Assert.StartsWith(demo.BaseAddress + "oauth/start/", link, StringComparison.Ordinal);
        Assert.Contains("mcpServers:", demo.Output, StringComparison.Ordinal);
        Assert.Contains($"url: {demo.BaseAddress}mcp/demo", demo.Output, StringComparison.Ordinal);
        Assert.Contains("npx @modelcontextprotocol/inspector --cli", demo.Output, StringComparison.Ordinal);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var tab = await WatchedPage.OpenAsync(chromium, "alice", demo.BaseAddress, demo.DemoIdentity);

        Assert.Equal(HttpStatusCode.OK, (await tab.Page.GoToAsync(link)).Status);
        Assert.Equal("Connect your Demo tools account?", await tab.HeadingAsync());
        await tab.ScreenshotAsync("demo-1-confirmation");
        await tab.Page.Keyboard.PressAsync("Tab");
        var signIn = await tab.PressAndWaitForNavigationAsync("Enter");
        Assert.StartsWith(demo.DemoIdentity.ToString(), signIn.Url, StringComparison.Ordinal);
        Assert.Equal("Sign in", await tab.HeadingAsync());
        await tab.Page.TypeAsync("#user", "alice");
        await tab.ScreenshotAsync("demo-2-provider-sign-in");
        await tab.PressAndWaitForNavigationAsync("Enter");
        Assert.Equal("Allow access to alice's account?", await tab.HeadingAsync());
        await tab.ScreenshotAsync("demo-3-provider-consent");
        await tab.Page.Keyboard.PressAsync("Tab");
        Assert.Equal("BUTTON allow solid", await tab.FocusAsync());
        var connected = await tab.PressAndWaitForNavigationAsync("Enter");
        Assert.Equal(HttpStatusCode.OK, connected.Status);
        Assert.Equal("Connected to Demo tools", await tab.HeadingAsync());
        await tab.ScreenshotAsync("demo-4-connected");

        var result = await CallToolWithTypeScriptSdkAsync(new Uri(demo.BaseAddress, "mcp/demo"), demo.HostKey, "alice", "whoami");
        Assert.Contains("signed in to the demo as alice", result, StringComparison.Ordinal);

        using var client = new HttpClient { BaseAddress = demo.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", demo.HostKey);
        using var minted = await client.PostAsync("api/v1/users/alice/portal-links", content: null);
        var portal = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await tab.Page.GoToAsync(portal)).Status);
        Assert.Equal("Your connections", await tab.HeadingAsync());
        Assert.Contains("demo:tools", await tab.Page.EvaluateExpressionAsync<string>("document.body.innerText"), StringComparison.Ordinal);
        await tab.ScreenshotAsync("demo-5-connections");
        Assert.Empty(tab.Errors);
        Assert.Empty(tab.BlockedOrigins);
    }

    [Theory]
    [InlineData("ASPNETCORE_ENVIRONMENT", "Production", "the environment is 'Production'")]
    [InlineData("DOTNET_ENVIRONMENT", "Staging", "the environment is 'Staging'")]
    [InlineData("McpGrains__Postgres__ConnectionString", "Host=db;Database=mcpgrains", "McpGrains:Postgres:ConnectionString is set")]
    [InlineData("McpGrains__Role", "silo", "McpGrains:Role is set")]
    public async Task Demo_WithProductionSettings_RefusesToStart(string variable, string value, string reason)
    {
        await using var demo = DemoProcess.Start(new Dictionary<string, string?> { [variable] = value });

        Assert.Equal(2, await demo.ExitCodeAsync());
        Assert.Contains(reason, demo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Sign-in link", demo.Output, StringComparison.Ordinal);
    }

    /// <summary>Runs Demo/call-tool.cjs with the pinned Node and MCP TypeScript SDK; answers the tool result's JSON.</summary>
    private static async Task<string> CallToolWithTypeScriptSdkAsync(Uri mcp, string hostKey, string user, string tool)
    {
        var node = (await NodeTools.GetAsync())["NODE22"];
        var start = new ProcessStartInfo(node, [Path.Combine(AppContext.BaseDirectory, "Demo", "call-tool.cjs"), mcp.ToString(), hostKey, user, tool])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NODE_PATH"] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(node)!, "..", ".."));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"call-tool.cjs exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
