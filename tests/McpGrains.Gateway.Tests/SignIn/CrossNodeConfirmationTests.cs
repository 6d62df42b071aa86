using System.Net;
using System.Security.Cryptography;
using McpGrains.Gateway.Tests.Infrastructure;
using McpGrains.Security;
using McpGrains.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace McpGrains.Gateway.Tests.SignIn;

/// <summary>
/// The confirmation page may be served by one front end and its form posted to another (a load balancer does that):
/// the anti-forgery token and the ticket open on every node holding the same key ring, and on no other.
/// </summary>
public sealed class CrossNodeConfirmationTests
{
    private static readonly McpSessionKey Key = new(TestConfiguration.AppOne, "alice", "beta");

    [Theory]
    [InlineData(true, HttpStatusCode.SeeOther)]
    [InlineData(false, HttpStatusCode.BadRequest)]
    public async Task APageFromOneFrontEnd_IsAcceptedByAnotherWithTheSameKeys(bool sameKeys, HttpStatusCode expected)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var first = await GatewayTestHost.StartAsync(s => s["McpGrains:Security:Keys:k1"] = key);
        await using var second = await GatewayTestHost.StartAsync(s =>
        {
            s["McpGrains:Security:Keys:k1"] = sameKeys ? key : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            s["McpGrains:Security:Keys:k0"] = key; // a key the second node knows, but under another id: still no
        });
        var ticket = first.Services.GetRequiredService<SignInTicketCodec>()
            .Protect(new AuthorizationState(Key.Format(), "flow-1", first.Time.GetUtcNow().AddMinutes(5)));
        var link = "https://mcpgrains.example/oauth/start/" + ticket;

        using var pageResponse = await first.CreateClient(hostAppKey: null).GetAsync(link);
        var page = new SignInPage(new Uri(link), pageResponse.StatusCode, await pageResponse.Content.ReadAsStringAsync());
        var antiforgery = SetCookieHeaderValue.Parse(Assert.Single(pageResponse.Headers.GetValues("Set-Cookie")));
        using var post = new HttpRequestMessage(HttpMethod.Post, page.FormAction)
        {
            Content = new FormUrlEncodedContent(page.HiddenFields.Append(new("action", "continue"))),
        };
        post.Headers.Add("Cookie", $"{antiforgery.Name}={antiforgery.Value}");
        using var continued = await second.CreateClient(hostAppKey: null).SendAsync(post);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("alice@example.com", page.Text, StringComparison.Ordinal);
        Assert.Equal(expected, continued.StatusCode);
        if (sameKeys)
        {
            Assert.Equal("https://as.example/authorize?state=sealed", continued.Headers.Location?.OriginalString);
            var request = Assert.Single(second.Grains.Session(Key).SignInRequests);
            Assert.Equal("flow-1", request.FlowId);
            Assert.False(string.IsNullOrEmpty(request.BrowserBinding));
            Assert.StartsWith("__Host-mcpgrains-signin-", SetCookieHeaderValue.Parse(Assert.Single(continued.Headers.GetValues("Set-Cookie"))).Name.ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(second.Grains.RequestedKeys);
        }
    }
}
