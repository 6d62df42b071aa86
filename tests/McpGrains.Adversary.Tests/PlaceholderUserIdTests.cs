using System.Net;
using System.Text.Json;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// A host app that forgot to fill its user placeholder (LibreChat's <c>{{LIBRECHAT_USER_ID}}</c>) would give all its
/// users one identity, and one user's account to all of them. Such ids are refused, encoded or not, on REST and /mcp.
/// </summary>
public sealed class PlaceholderUserIdTests(OpenUpstream upstream) : IClassFixture<OpenUpstream>, IAsyncLifetime
{
    private RunningHost _host = null!;

    public Task InitializeAsync()
    {
        _host = upstream.StartHost();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> PathSegments => new()
    {
        "%7B%7BLIBRECHAT_USER_ID%7D%7D",          // {{LIBRECHAT_USER_ID}} as a client encodes it
        "%257B%257BLIBRECHAT_USER_ID%257D%257D",  // encoded twice
        "%7B%7B%20LIBRECHAT_USER_EMAIL%20%7D%7D", // {{ LIBRECHAT_USER_EMAIL }}
        "user-%7B%7BLIBRECHAT_USER_ID%7D%7D",     // inside a template
    };

    [Theory]
    [MemberData(nameof(PathSegments))]
    public async Task Rest_PlaceholderUserId_Is400NamingThePlaceholder(string encodedUserId)
    {
        using var client = _host.Client();

        using var list = await client.GetAsync($"/api/v1/users/{encodedUserId}/connections");
        using var one = await client.GetAsync($"/api/v1/users/{encodedUserId}/connections/open");
        using var authorize = await client.PostAsync($"/api/v1/users/{encodedUserId}/connections/open/authorize", null);

        foreach (var response in new[] { list, one, authorize })
        {
            await AssertPlaceholderProblemAsync(response);
        }
    }

    [Theory]
    [InlineData("{{LIBRECHAT_USER_ID}}")]
    [InlineData("%7B%7BLIBRECHAT_USER_ID%7D%7D")]
    [InlineData("{{ LIBRECHAT_USER_EMAIL }}")]
    public async Task Mcp_PlaceholderUserHeader_Is400NamingThePlaceholder(string userHeader)
    {
        using var client = _host.Client();

        using var response = await client.SendAsync(McpWire.Initialize("open", userHeader));

        await AssertPlaceholderProblemAsync(response);
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("alice{braces}")]
    [InlineData("{single}")]
    public async Task OrdinaryUserIds_AreServed(string userId)
    {
        using var client = _host.Client();

        using var rest = await client.GetAsync($"/api/v1/users/{Uri.EscapeDataString(userId)}/connections/open");
        using var mcp = await client.SendAsync(McpWire.Initialize("open", userId));

        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mcp.StatusCode);
    }

    private static async Task AssertPlaceholderProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("unresolved_user_placeholder", problem.GetProperty("code").GetString());
        Assert.Contains("placeholder", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
