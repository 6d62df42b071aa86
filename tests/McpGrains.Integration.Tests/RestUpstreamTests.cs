using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;

namespace McpGrains.Integration.Tests;

/// <summary>Tools, resources and prompts over REST through the real host, against real MCP peers.</summary>
public sealed class RestUpstreamTests : IClassFixture<HostFixture>
{
    private readonly HostFixture _host;

    public RestUpstreamTests(HostFixture host)
    {
        _host = host;
    }

    private static string NewUser() => "u-" + Guid.NewGuid().ToString("N")[..10];

    [Theory]
    [InlineData("everything-sse")]
    [InlineData("everything-http")]
    public async Task ServerEverything_ListsToolsAndCallsEcho(string serverId)
    {
        using var client = _host.Client();
        var user = NewUser();

        var tools = await client.GetFromJsonAsync<JsonElement>($"/api/v1/users/{user}/connections/{serverId}/tools");
        using var call = await client.PostAsJsonAsync($"/api/v1/users/{user}/connections/{serverId}/tools/echo", new { arguments = new { message = "hello from " + serverId } });

        Assert.Contains(tools.GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "echo");
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var result = await call.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("hello from " + serverId, result.GetProperty("content")[0].GetProperty("text").GetString());
        var connection = await client.GetFromJsonAsync<JsonElement>($"/api/v1/users/{user}/connections/{serverId}");
        Assert.Equal("connected", connection.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ServerEverything_ResourcesAndPrompts()
    {
        using var client = _host.Client();
        var user = NewUser();
        const string Base = "/api/v1/users/{0}/connections/everything-http";
        var root = string.Format(System.Globalization.CultureInfo.InvariantCulture, Base, user);

        var resources = await client.GetFromJsonAsync<JsonElement>($"{root}/resources");
        var first = resources.GetProperty("resources")[0].GetProperty("uri").GetString()!;
        var read = await client.GetFromJsonAsync<JsonElement>($"{root}/resources/read?uri={Uri.EscapeDataString(first)}");
        var prompts = await client.GetFromJsonAsync<JsonElement>($"{root}/prompts");
        var promptName = prompts.GetProperty("prompts")[0].GetProperty("name").GetString()!;
        using var prompt = await client.PostAsJsonAsync($"{root}/prompts/{promptName}", new { arguments = new { } });

        Assert.Equal(first, read.GetProperty("contents")[0].GetProperty("uri").GetString());
        Assert.True(prompt.IsSuccessStatusCode || prompt.StatusCode == HttpStatusCode.BadRequest, $"prompt get answered {(int)prompt.StatusCode}");
    }

    [Fact]
    public async Task ProtectedServer_AnswersConflictWithTheLink_ThenWorksAfterTheCallback()
    {
        using var client = _host.Client();
        var user = NewUser();

        using var before = await client.GetAsync($"/api/v1/users/{user}/connections/protected/tools");
        Assert.Equal(HttpStatusCode.Conflict, before.StatusCode);
        Assert.Equal("application/problem+json", before.Content.Headers.ContentType?.MediaType);
        var problem = await before.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("authorization_required", problem.GetProperty("code").GetString());
        var authorizationUrl = problem.GetProperty("authorizationUrl").GetString()!;
        Assert.StartsWith(HostFixture.PublicBaseUrl + "/oauth/start/", authorizationUrl, StringComparison.Ordinal);

        using var landing = await _host.Browser.CompleteSignInAsync(authorizationUrl, _host.CallbackPrefix, user);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.Contains("Connected", await landing.Content.ReadAsStringAsync());

        var tools = await client.GetFromJsonAsync<JsonElement>($"/api/v1/users/{user}/connections/protected/tools");
        using var whoami = await client.PostAsJsonAsync($"/api/v1/users/{user}/connections/protected/tools/whoami", new { });
        Assert.Contains(tools.GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "echo");
        var result = await whoami.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(user, result.GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Callback_RedirectsToTheAllowedReturnUrl()
    {
        var user = NewUser();

        using var landing = await _host.ConnectAsync(user, returnUrl: HostFixture.ReturnBase + "settings?tab=mcp");

        Assert.Equal(HttpStatusCode.Found, landing.StatusCode);
        var location = landing.Headers.Location!;
        Assert.StartsWith(HostFixture.ReturnBase + "settings", location.ToString(), StringComparison.Ordinal);
        var query = HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("mcp", query["tab"]);
        Assert.Equal("connected", query["mcpgrains_status"]);
        Assert.Equal("protected", query["mcpgrains_server"]);
    }

    [Fact]
    public async Task TwoHostApps_WithTheSameUserId_HaveSeparateConnections()
    {
        var user = NewUser();
        using var landing = await _host.ConnectAsync(user, hostKey: HostFixture.HostAKey);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);

        using var a = _host.Client(HostFixture.HostAKey);
        using var b = _host.Client(HostFixture.HostBKey);
        var seenByA = await a.GetFromJsonAsync<JsonElement>($"/api/v1/users/{user}/connections/protected");
        var seenByB = await b.GetFromJsonAsync<JsonElement>($"/api/v1/users/{user}/connections/protected");
        using var toolsForB = await b.GetAsync($"/api/v1/users/{user}/connections/protected/tools");

        Assert.Equal("connected", seenByA.GetProperty("status").GetString());
        Assert.Equal("not_connected", seenByB.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, toolsForB.StatusCode);
    }

    [Fact]
    public async Task UnknownTool_IsAClientError()
    {
        using var client = _host.Client();
        var user = NewUser();

        using var call = await client.PostAsJsonAsync($"/api/v1/users/{user}/connections/open/tools/no-such-tool", new { arguments = new { } });

        Assert.True(call.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK, $"answered {(int)call.StatusCode}");
        if (call.StatusCode == HttpStatusCode.OK)
        {
            Assert.True((await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isError").GetBoolean());
        }
    }

    [Fact]
    public async Task BadArguments_AreRefusedBeforeAnyUpstreamCall()
    {
        using var client = _host.Client();

        using var call = await client.PostAsJsonAsync($"/api/v1/users/{NewUser()}/connections/open/tools/echo", new { arguments = new[] { 1, 2 } });

        Assert.Equal(HttpStatusCode.BadRequest, call.StatusCode);
    }

    [Fact]
    public async Task FullFlowThroughTheHost_LogsNoSecret()
    {
        var user = NewUser();
        using var client = _host.Client();
        using var authorize = await client.PostAsync($"/api/v1/users/{user}/connections/protected/authorize", null);
        var signInLink = (await authorize.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizationUrl").GetString()!;
        var authorizationUrl = await _host.Browser.ContinueAsync(signInLink, user);
        var state = HttpUtility.ParseQueryString(authorizationUrl.Query)["state"]!;
        var callback = await _host.Browser.FollowToAsync(authorizationUrl.ToString(), _host.CallbackPrefix, user);
        using var landing = await _host.Browser.GetAsync(callback, user);
        using var call = await client.PostAsJsonAsync($"/api/v1/users/{user}/connections/protected/tools/echo", new { arguments = new { message = "x" } });
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);

        var secrets = _host.AuthorizationServer.AllIssuedSecrets
            .Append(state)
            .Append(authorizationUrl.ToString())
            .Append(signInLink[(signInLink.LastIndexOf('/') + 1)..])
            .Append(HostFixture.HostAKey)
            .ToArray();
        Assert.NotEmpty(_host.Logs.Messages);
        Assert.Null(_host.Logs.FindAny(secrets));
    }
}
