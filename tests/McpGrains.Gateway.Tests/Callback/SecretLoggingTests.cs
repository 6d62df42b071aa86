using System.Net;
using McpGrains.Gateway.Tests.Infrastructure;
using McpGrains.Security;
using Microsoft.Extensions.DependencyInjection;

namespace McpGrains.Gateway.Tests.Callback;

public sealed class SecretLoggingTests
{
    [Fact]
    public async Task Logs_at_trace_level_never_hold_the_state_code_issuer_or_host_key()
    {
        // An operator turning every category up to Trace must still not get request URLs (hosting diagnostics) logged.
        await using var host = await GatewayTestHost.StartAsync(settings =>
        {
            settings["Logging:LogLevel:Default"] = "Trace";
            settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
            settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Trace";
        });
        var key = new McpSessionKey(TestConfiguration.AppOne, "u1", "alpha");
        var state = host.Services.GetRequiredService<AuthorizationStateCodec>()
            .Protect(new AuthorizationState(key.Format(), "secret-flow-id", host.Time.GetUtcNow().AddMinutes(5)));
        var expired = host.Services.GetRequiredService<AuthorizationStateCodec>()
            .Protect(new AuthorizationState(key.Format(), "secret-flow-id", host.Time.GetUtcNow().AddMinutes(-5)));
        var browser = host.CreateClient(hostAppKey: null);

        using var ok = await browser.GetAsync($"/oauth/callback?state={state}&code=secret-code-value&iss=https%3A%2F%2Fsecret-issuer.example");
        using var late = await browser.GetAsync($"/oauth/callback?state={expired}&code=secret-code-value");
        using var forged = await browser.GetAsync("/oauth/callback?state=forged-secret-state&code=secret-code-value");
        using var api = await host.CreateClient().GetAsync("/api/v1/users/u1/connections/alpha");
        using var wrongKey = await host.CreateClient("wrong-secret-host-key-000000").GetAsync("/api/v1/servers");

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.NotEmpty(host.Logs.Lines);
        Assert.Contains(host.Logs.Lines, line => line.Contains(key.Format(), StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, line => line.StartsWith("Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
        string[] secrets = [state, expired, "secret-code-value", "secret-issuer", "forged-secret-state", "secret-flow-id", TestConfiguration.AppOneKey, "wrong-secret-host-key"];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(host.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }
}
