using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.SignIn;

/// <summary>
/// <c>returnUrl</c> (allow-listed: <see cref="SignInTestBed.ReturnBase"/>) must not become an open redirect, a header
/// injection or a path escape; the callback redirects to the normalized URL that was checked, never to the raw text.
/// </summary>
public sealed class ReturnUrlTests : IClassFixture<SignInTestBed>
{
    private readonly SignInTestBed _bed;

    public ReturnUrlTests(SignInTestBed bed)
    {
        _bed = bed;
    }

    [Theory]
    [InlineData("//evil.example/back/")]
    [InlineData("/back/")]
    [InlineData("https://chat.example.com\\@evil.example/back/")]
    [InlineData("https:\\\\chat.example.com/back/x")]
    [InlineData("https://chat.example.com/back/x\\..\\..\\admin")]
    [InlineData("https://chat.example.com@evil.example/back/")]
    [InlineData("https://user:secret@chat.example.com/back/")]
    [InlineData("https://chat.example.com./back/")]
    [InlineData("https://chаt.example.com/back/")]
    [InlineData("https://xn--cht-8cd.example.com/back/")]
    [InlineData("javascript:alert(1)//chat.example.com/back/")]
    [InlineData("https://chat.example.com/back/x\r\nSet-Cookie: session=evil")]
    [InlineData("https://chat.example.com/back/x%0d%0aSet-Cookie:%20session=evil")]
    [InlineData("https://chat.example.com/back/x\tnext")]
    [InlineData("https://chat.example.com/back%2F..%2F..%2Fadmin")]
    [InlineData("https://chat.example.com/back/..%2Fadmin")]
    [InlineData("https://chat.example.com/back/..%2fadmin")]
    [InlineData("https://chat.example.com/back/..%5Cadmin")]
    [InlineData("https://chat.example.com/back/%2e%2e/admin")]
    [InlineData("https://chat.example.com/backdoor")]
    [InlineData("http://chat.example.com/back/")]
    [InlineData("https://chat.example.com:8443/back/")]
    public async Task Authorize_RefusesAReturnUrlTrick_AndStartsNothing(string returnUrl)
    {
        var user = SignInTestBed.NewUser("alice");

        using var response = await _bed.PostAuthorizeAsync(user, body: new { returnUrl });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{returnUrl} was accepted: {body}");
        Assert.Equal("return_url_not_allowed", body.GetProperty("code").GetString());
        Assert.Equal("not_connected", (await _bed.ConnectionAsync(user)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("HTTPS://CHAT.Example.COM:443/back/./x/../y?q=1#frag", "https://chat.example.com/back/y?q=1&mcpgrains_status=connected&mcpgrains_server=demo#frag")]
    [InlineData("https://chat.example.com/back/a%20b/?x=%3Cy%3E", "https://chat.example.com/back/a%20b/?x=%3Cy%3E&mcpgrains_status=connected&mcpgrains_server=demo")]
    [InlineData("https://chat.example.com/back/café", "https://chat.example.com/back/caf%C3%A9?mcpgrains_status=connected&mcpgrains_server=demo")]
    public async Task Callback_RedirectsToTheNormalizedReturnUrl(string returnUrl, string expected)
    {
        var user = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(user, returnUrl: returnUrl);
        var callback = await browser.SignInAsync(link, _bed.CallbackPrefix, user);

        using var response = await browser.GetAsync(callback, user);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
        Assert.Equal(user, await _bed.WhoAmIAsync(user));
    }
}
