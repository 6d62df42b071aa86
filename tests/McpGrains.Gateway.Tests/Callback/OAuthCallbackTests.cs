using System.Net;
using McpGrains.Gateway.SignIn;
using McpGrains.Gateway.Tests.Infrastructure;
using McpGrains.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace McpGrains.Gateway.Tests.Callback;

public sealed class OAuthCallbackTests
{
    private static readonly McpSessionKey BetaKey = new(TestConfiguration.AppOne, "u1", "beta");

    [Theory]
    [InlineData("/oauth/callback")]
    [InlineData("/oauth/callback?code=abc")]
    [InlineData("/oauth/callback?state=forged&code=abc")]
    [InlineData("/oauth/callback?state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&code=abc")]
    public async Task Forged_or_missing_state_is_400_page_and_reaches_no_grain(string path)
    {
        await using var host = await GatewayTestHost.StartAsync();

        using var response = await host.CreateClient(hostAppKey: null).GetAsync(path);

        await AssertPageAsync(response, HttpStatusCode.BadRequest, "This sign-in link is invalid");
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task Altered_state_is_400_page_and_reaches_no_grain()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var state = Seal(host, BetaKey, host.Time.GetUtcNow().AddMinutes(5)).ToCharArray();
        state[state.Length / 2] = state[state.Length / 2] == 'A' ? 'B' : 'A';

        using var response = await host.CreateClient(hostAppKey: null).GetAsync($"/oauth/callback?state={new string(state)}&code=abc");

        await AssertPageAsync(response, HttpStatusCode.BadRequest, "This sign-in link is invalid");
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task State_sealed_under_another_key_ring_is_400()
    {
        await using var other = await GatewayTestHost.StartAsync();
        await using var host = await GatewayTestHost.StartAsync();
        var state = Seal(other, BetaKey, host.Time.GetUtcNow().AddMinutes(5));

        using var response = await host.CreateClient(hostAppKey: null).GetAsync($"/oauth/callback?state={state}&code=abc");

        await AssertPageAsync(response, HttpStatusCode.BadRequest, "This sign-in link is invalid");
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task Repeated_parameters_are_400()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var state = Seal(host, BetaKey, host.Time.GetUtcNow().AddMinutes(5));

        using var response = await host.CreateClient(hostAppKey: null).GetAsync($"/oauth/callback?state={state}&code=abc&iss=a&iss=b");

        await AssertPageAsync(response, HttpStatusCode.BadRequest, "This sign-in link is invalid");
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task Expired_state_is_410_page_and_reaches_no_grain()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var state = Seal(host, BetaKey, host.Time.GetUtcNow().AddMinutes(10));
        host.Time.Advance(TimeSpan.FromMinutes(11));

        using var response = await host.CreateClient(hostAppKey: null).GetAsync($"/oauth/callback?state={state}&code=abc");

        var html = await AssertPageAsync(response, HttpStatusCode.Gone, "This sign-in has expired");
        Assert.Contains("start the sign-in again", html, StringComparison.Ordinal);
        Assert.Empty(host.Grains.RequestedKeys);
    }

    [Fact]
    public async Task Valid_state_hands_the_response_to_the_owning_grain()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var state = Seal(host, BetaKey, host.Time.GetUtcNow().AddMinutes(5));

        using var response = await host.CreateClient(hostAppKey: null)
            .GetAsync($"/oauth/callback?state={state}&code=the-code&iss={Uri.EscapeDataString("https://as.example")}");

        var html = await AssertPageAsync(response, HttpStatusCode.OK, "Connected to Beta &lt;Tools&gt;");
        Assert.DoesNotContain("the-code", html, StringComparison.Ordinal);
        var callback = Assert.Single(host.Grains.Session(BetaKey).Callbacks);
        Assert.Equal(BetaKey, callback.SessionKey);
        Assert.Equal("flow-1", callback.FlowId);
        Assert.Equal("the-code", callback.Code);
        Assert.Equal("https://as.example", callback.Issuer);
        Assert.Null(callback.Error);
        Assert.Null(callback.BrowserBinding);
    }

    [Fact]
    public async Task The_browsers_sign_in_cookie_goes_to_the_grain_and_is_cleared_afterwards()
    {
        await using var host = await GatewayTestHost.StartAsync();
        var flow = new AuthorizationState(BetaKey.Format(), "flow-1", host.Time.GetUtcNow().AddMinutes(5));
        var state = host.Services.GetRequiredService<AuthorizationStateCodec>().Protect(flow);
        var cookies = host.Services.GetRequiredService<BrowserBindingCookie>();
        var context = new DefaultHttpContext();
        cookies.Write(context, flow, "browser-secret");
        var setCookie = SetCookieHeaderValue.Parse(context.Response.Headers.SetCookie.ToString());
        using var client = host.CreateClient(hostAppKey: null);
        client.DefaultRequestHeaders.Add("Cookie", $"{setCookie.Name}={setCookie.Value}");

        using var response = await client.GetAsync($"/oauth/callback?state={state}&code=abc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("browser-secret", Assert.Single(host.Grains.Session(BetaKey).Callbacks).BrowserBinding);
        var cleared = SetCookieHeaderValue.Parse(Assert.Single(response.Headers.GetValues("Set-Cookie")));
        Assert.Equal(setCookie.Name, cleared.Name);
        Assert.True(cleared.Expires < host.Time.GetUtcNow());
    }

    [Fact]
    public async Task Error_response_is_passed_on_and_the_page_encodes_the_grain_message()
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Grains.Session(BetaKey).CallbackResult = new CallbackResult(false, "beta", null, new SessionError("access_denied", "<b>You declined</b>"));
        var state = Seal(host, BetaKey, host.Time.GetUtcNow().AddMinutes(5));

        using var response = await host.CreateClient(hostAppKey: null)
            .GetAsync($"/oauth/callback?state={state}&error=access_denied&error_description=%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        var html = await AssertPageAsync(response, HttpStatusCode.BadRequest, "Access was denied");
        Assert.Contains("&lt;b&gt;You declined&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(1)", html, StringComparison.Ordinal);
        var callback = Assert.Single(host.Grains.Session(BetaKey).Callbacks);
        Assert.Equal("access_denied", callback.Error);
        Assert.Equal("<script>alert(1)</script>", callback.ErrorDescription);
    }

    [Fact]
    public async Task Success_with_a_return_url_redirects_keeping_its_query_and_fragment()
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Grains.Session(BetaKey).CallbackResult = new CallbackResult(true, "beta", "https://chat.example/settings?tab=mcp#top", null);
        var state = Seal(host, BetaKey, host.Time.GetUtcNow().AddMinutes(5));

        using var response = await host.CreateClient(hostAppKey: null).GetAsync($"/oauth/callback?state={state}&code=abc");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("https://chat.example/settings?tab=mcp&mcpgrains_status=connected&mcpgrains_server=beta#top", response.Headers.Location?.OriginalString);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Failure_with_a_return_url_redirects_with_the_error_code()
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Grains.Session(BetaKey).CallbackResult = new CallbackResult(false, "beta", "https://chat.example/", new SessionError("issuer_mismatch", "Wrong issuer."));
        var state = Seal(host, BetaKey, host.Time.GetUtcNow().AddMinutes(5));

        using var response = await host.CreateClient(hostAppKey: null).GetAsync($"/oauth/callback?state={state}&code=abc");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("https://chat.example/?mcpgrains_status=error&mcpgrains_server=beta&mcpgrains_error=issuer_mismatch", response.Headers.Location?.OriginalString);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Return_url_no_longer_on_the_allow_list_gets_a_page_not_a_redirect()
    {
        await using var host = await GatewayTestHost.StartAsync();
        host.Grains.Session(BetaKey).CallbackResult = new CallbackResult(true, "beta", "https://removed.example/", null);
        var state = Seal(host, BetaKey, host.Time.GetUtcNow().AddMinutes(5));

        using var response = await host.CreateClient(hostAppKey: null).GetAsync($"/oauth/callback?state={state}&code=abc");

        await AssertPageAsync(response, HttpStatusCode.OK, "Connected to Beta &lt;Tools&gt;");
    }

    private static string Seal(GatewayTestHost host, McpSessionKey key, DateTimeOffset expiresAt) =>
        host.Services.GetRequiredService<AuthorizationStateCodec>().Protect(new AuthorizationState(key.Format(), "flow-1", expiresAt));

    private static async Task<string> AssertPageAsync(HttpResponseMessage response, HttpStatusCode status, string heading)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", string.Join(",", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<h1>{heading}</h1>", html, StringComparison.Ordinal);
        return html;
    }
}
