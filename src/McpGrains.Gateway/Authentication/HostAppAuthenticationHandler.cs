using System.Security.Claims;
using System.Text.Encodings.Web;
using McpGrains.Gateway.Endpoints;
using McpGrains.Gateway.Limits;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Authentication;

/// <summary>
/// Authenticates host apps by <c>Authorization: Bearer &lt;key&gt;</c>. Its challenge is a 401 problem+json with no
/// <c>WWW-Authenticate: Bearer</c> header: a host app such as LibreChat would read that header as an invitation to run
/// its own OAuth flow against the gateway, while a key failure is meant for the operator. Wrong keys are counted per
/// client address (<see cref="HostKeyAttemptLimiter"/>): a throttled address gets 429 for any key.
/// </summary>
internal sealed class HostAppAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    HostAppKeys keys,
    HostKeyAttemptLimiter attempts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (attempts.IsThrottled(Context, out var retryAfter))
        {
            return Task.FromResult(AuthenticateResult.Fail(new HostKeyAttemptsExceededException(retryAfter)));
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            attempts.RecordFailure(Context);
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header is not of the form 'Bearer <host app key>'."));
        }

        var presented = header[BearerPrefix.Length..].Trim();
        if (presented.Length == 0 || !keys.TryMatch(presented, out var tenantId))
        {
            attempts.RecordFailure(Context);
            return Task.FromResult(AuthenticateResult.Fail("The host app key is not recognized."));
        }

        var identity = new ClaimsIdentity([new Claim(HostApp.TenantClaimType, tenantId!)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is HostKeyAttemptsExceededException throttled)
        {
            await TooManyRequests.WriteAsync(
                Context,
                throttled.RetryAfter,
                "Too many wrong host app keys came from this address (McpGrains:Limits:FailedHostKeyAttemptsPerMinute); every attempt from it is refused for now.",
                GatewayErrorCodes.HostKeyAttemptsExceeded);
            return;
        }

        var problem = result.Failure is null
            ? TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "A host app key is required",
                detail: "Send 'Authorization: Bearer <key>' with a key configured under McpGrains:HostApps:<name>:ApiKey.")
            : TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "The host app key is not valid",
                detail: result.Failure.Message);
        await problem.ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The host app may not use this resource").ExecuteAsync(Context);
}
