using McpGrains.Configuration;
using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Contracts;
using McpGrains.Gateway.Limits;
using McpGrains.Gateway.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;

namespace McpGrains.Gateway.Endpoints;

/// <summary><c>/api/v1/users/{userId}/connections</c>: one user's connections, within the caller's tenant.</summary>
public static class ConnectionEndpoints
{
    public static RouteGroupBuilder MapConnectionEndpoints(this RouteGroupBuilder group)
    {
        var connections = group.MapGroup("/users/{userId}/connections").WithTags("Connections");

        connections.MapGet("", ListConnectionsAsync)
            .WithName("ListConnections")
            .WithSummary("The user's connection to every configured server.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        connections.MapGet("/{serverId}", GetConnectionAsync)
            .WithName("GetConnection")
            .WithSummary("The user's connection to one server.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        connections.MapPost("/{serverId}/authorize", AuthorizeAsync)
            .RequireRateLimiting(RateLimitPolicies.Authorizations)
            .WithName("AuthorizeConnection")
            .WithSummary("Connects the user to the server, or returns the sign-in link where the user authorizes it.")
            .Accepts<AuthorizeConnectionRequest>(isOptional: true, "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status502BadGateway);

        connections.MapDelete("/{serverId}", DisconnectAsync)
            .WithName("Disconnect")
            .WithSummary("Revokes where possible and forgets the user's tokens for the server.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return group;
    }

    private static async Task<Results<Ok<ConnectionListResponse>, ProblemHttpResult>> ListConnectionsAsync(
        HostApp hostApp, string userId, IOptions<McpGrainsOptions> options, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!SessionKeyResolver.TryValidateUser(userId, out var problem))
        {
            return problem;
        }

        var lookups = options.Value.Servers.Keys
            .Order(StringComparer.Ordinal)
            .Select(serverId => Session(grains, new McpSessionKey(hostApp.TenantId, userId, serverId)).GetConnectionAsync(cancellationToken));
        var connections = await Task.WhenAll(lookups);
        return TypedResults.Ok(new ConnectionListResponse(connections.Select(ConnectionResponse.From).ToArray()));
    }

    private static async Task<Results<Ok<ConnectionResponse>, ProblemHttpResult>> GetConnectionAsync(
        HostApp hostApp, string userId, string serverId, IOptions<McpGrainsOptions> options, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!SessionKeyResolver.TryResolve(hostApp, userId, serverId, options.Value, out var key, out var problem))
        {
            return problem;
        }

        var connection = await Session(grains, key).GetConnectionAsync(cancellationToken);
        return TypedResults.Ok(ConnectionResponse.From(connection));
    }

    private static async Task<Results<Ok<AuthorizeConnectionResponse>, ProblemHttpResult>> AuthorizeAsync(
        HostApp hostApp,
        string userId,
        string serverId,
        HttpRequest request,
        IOptions<McpGrainsOptions> options,
        IOptions<JsonOptions> jsonOptions,
        ReturnUrlAllowList returnUrls,
        IGrainFactory grains,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        if (!SessionKeyResolver.TryResolve(hostApp, userId, serverId, options.Value, out var key, out var problem))
        {
            return problem;
        }

        var (body, bodyProblem) = await OptionalJsonBody.ReadAsync<AuthorizeConnectionRequest>(request, jsonOptions.Value.SerializerOptions, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        string? returnUrl = null;
        if (body?.ReturnUrl is { } requested && !returnUrls.TryNormalize(requested, out returnUrl))
        {
            return GatewayProblems.ReturnUrlNotAllowed();
        }

        if (!UserLabels.TryNormalize(body?.UserLabel, out var userLabel))
        {
            return GatewayProblems.InvalidUserLabel("userLabel");
        }

        if (!UserIdentity.TryReadBody(body?.Identity, options.Value, hostApp.TenantId, out var identity, out var identityProblem))
        {
            return identityProblem;
        }

        var authorize = new AuthorizeRequest(returnUrl, userLabel, identity) { IdentityAssertion = IdentityAssertionInput.Normalize(body?.IdentityAssertion) };
        var result = await Session(grains, key).AuthorizeAsync(authorize, cancellationToken);
        switch (result.Outcome)
        {
            case AuthorizeOutcome.Connected:
                return TypedResults.Ok(AuthorizeConnectionResponse.Connected);
            case AuthorizeOutcome.AuthorizationRequired when result.AuthorizationUrl is not null:
                return TypedResults.Ok(AuthorizeConnectionResponse.Required(result.AuthorizationUrl));
            default:
                loggerFactory.CreateLogger(GatewayLog.ApiCategory).AuthorizeFailed(key.Format(), result.Error?.Code);
                return GatewayProblems.AuthorizationFailed(result.Error);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DisconnectAsync(
        HostApp hostApp, string userId, string serverId, IOptions<McpGrainsOptions> options, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!SessionKeyResolver.TryResolve(hostApp, userId, serverId, options.Value, out var key, out var problem))
        {
            return problem;
        }

        await Session(grains, key).DisconnectAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static IMcpSessionGrain Session(IGrainFactory grains, McpSessionKey key) => grains.SessionGrain(key);
}
