using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Demo;

/// <summary>
/// The demo's OAuth 2.1 authorization server ("Demo Identity"), in memory: RFC 8414 metadata, dynamic client
/// registration (RFC 7591, public clients), the authorization endpoint with a sign-in page and a consent page
/// (<see cref="DemoAuthorizationServer"/>'s pages partial), PKCE-checked code exchange, rotating refresh tokens and
/// revocation (RFC 7009). Made to show the path a user walks, not to guard anything: no passwords, loopback only.
/// </summary>
public sealed partial class DemoAuthorizationServer(DemoTokens tokens, DemoOrigin origin)
{
    private string Issuer => origin.Url;

    public const string AuthorizePath = "/authorize";

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/.well-known/oauth-authorization-server", Metadata);
        app.MapPost("/register", RegisterAsync);
        app.MapGet(AuthorizePath, ShowSignIn);
        app.MapPost(AuthorizePath + "/sign-in", SignInAsync);
        app.MapPost(AuthorizePath + "/consent", ConsentAsync);
        app.MapPost("/token", TokenAsync);
        app.MapPost("/revoke", RevokeAsync);
    }

    private IResult Metadata() => Results.Json(new JsonObject
    {
        ["issuer"] = Issuer,
        ["authorization_endpoint"] = Issuer + AuthorizePath,
        ["token_endpoint"] = Issuer + "/token",
        ["registration_endpoint"] = Issuer + "/register",
        ["revocation_endpoint"] = Issuer + "/revoke",
        ["response_types_supported"] = new JsonArray("code"),
        ["grant_types_supported"] = new JsonArray("authorization_code", "refresh_token"),
        ["code_challenge_methods_supported"] = new JsonArray("S256"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("none"),
        ["scopes_supported"] = new JsonArray(DemoMcpServer.Scope),
        ["authorization_response_iss_parameter_supported"] = true,
    });

    private async Task<IResult> RegisterAsync(HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject;
        var redirectUris = (body?["redirect_uris"] as JsonArray)?.Select(uri => uri?.GetValue<string>()).OfType<string>().ToArray() ?? [];
        if (redirectUris.Length == 0)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_redirect_uri" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var clientId = tokens.RegisterClient(redirectUris);
        return Results.Json(
            new JsonObject
            {
                ["client_id"] = clientId,
                ["client_name"] = body?["client_name"]?.DeepClone(),
                ["redirect_uris"] = new JsonArray([.. redirectUris.Select(uri => (JsonNode)uri)]),
                ["token_endpoint_auth_method"] = "none",
                ["grant_types"] = new JsonArray("authorization_code", "refresh_token"),
                ["response_types"] = new JsonArray("code"),
            },
            statusCode: StatusCodes.Status201Created);
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var clientId = form["client_id"].ToString();
        var grant = form["grant_type"].ToString() switch
        {
            "authorization_code" => tokens.RedeemCode(form["code"], clientId, form["redirect_uri"], form["code_verifier"]),
            "refresh_token" => tokens.RedeemRefreshToken(form["refresh_token"], clientId),
            _ => null,
        };
        if (grant is null)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_grant" }, statusCode: StatusCodes.Status400BadRequest);
        }

        var (accessToken, refreshToken) = tokens.IssueTokens(grant);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.Json(new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)DemoTokens.AccessTokenLifetime.TotalSeconds,
            ["refresh_token"] = refreshToken,
            ["scope"] = grant.Request.Scope,
        });
    }

    private async Task<IResult> RevokeAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        tokens.Revoke(form["token"]);
        return Results.Ok();
    }
}
