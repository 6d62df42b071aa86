using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Testing;

public sealed partial class TestAuthorizationServer
{
    private void MapRevocation(IEndpointRouteBuilder app)
    {
        if (_options.RevocationEndpoint)
        {
            app.MapPost(_options.IssuerPath + "/revoke", (Func<HttpContext, Task<IResult>>)RevokeAsync);
        }
    }

    /// <summary>RFC 7009: always 200 for an authenticated client, whether or not the token was known.</summary>
    private async Task<IResult> RevokeAsync(HttpContext context)
    {
        Interlocked.Increment(ref _revocationCount);
        if (!context.Request.HasFormContentType)
        {
            return TokenError("invalid_request", "The revocation request must be application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var client = AuthenticateClient(context, form, out _, out var failure);
        if (client is null)
        {
            return failure!;
        }

        var token = form["token"].ToString();
        lock (_sync)
        {
            if (_accessTokens.TryGetValue(token, out var access) && access.ClientId == client.ClientId)
            {
                access.Revoked = true;
            }
            else if (_refreshTokens.TryGetValue(token, out var refresh) && refresh.ClientId == client.ClientId)
            {
                // Revoking a refresh token also invalidates the access tokens of the same grant.
                refresh.Revoked = true;
                _revokedFamilies.Add(refresh.FamilyId);
            }
        }

        return Results.Ok();
    }
}
