using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Contracts;
using McpGrains.Gateway.Logging;
using McpGrains.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;

namespace McpGrains.Gateway.Endpoints;

/// <summary>
/// <c>POST /api/v1/authorizations/{flowId}/confirm</c>, binding mode host-verification: the host app confirms a flow
/// for the user signed in, in its own session, in the browser that brought the flow id to its verification URL. The
/// flow id is sealed (session key, confirmation id, expiry), so any node routes it to its session grain. A flow of
/// another host app is answered as an unknown one and left alone: a host app can neither learn of nor end another's
/// flows. The flow id is never logged.
/// </summary>
public static class AuthorizationConfirmationEndpoints
{
    public static RouteGroupBuilder MapAuthorizationConfirmationEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/authorizations/{flowId}/confirm", ConfirmAsync)
            .WithTags("Connections")
            .WithName("ConfirmAuthorization")
            .WithSummary("Binding mode host-verification: binds a signed-in flow's tokens to the session, if the user signed in at the host app is the flow's user; otherwise discards and revokes them.")
            .Accepts<ConfirmAuthorizationRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);
        return group;
    }

    private static async Task<Results<Ok<ConfirmAuthorizationResponse>, ProblemHttpResult>> ConfirmAsync(
        HostApp hostApp,
        string flowId,
        HttpRequest request,
        VerificationFlowCodec flows,
        IOptions<JsonOptions> jsonOptions,
        IGrainFactory grains,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(GatewayLog.ApiCategory);
        var (body, bodyProblem) = await OptionalJsonBody.ReadAsync<ConfirmAuthorizationRequest>(request, jsonOptions.Value.SerializerOptions, cancellationToken);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        if (body?.UserId is not { } userId)
        {
            return GatewayProblems.InvalidBody("Send {\"userId\": \"...\"}: the user signed in at the host app.");
        }

        if (!SessionKeyResolver.TryValidateUser(userId, out var problem))
        {
            return problem;
        }

        if (!flows.TryUnprotect(flowId, out var flow) || !McpSessionKey.TryParse(flow!.SessionKey, out var key))
        {
            logger.ConfirmationFlowInvalid(hostApp.TenantId);
            return GatewayProblems.VerificationNotFound();
        }

        if (key.TenantId != hostApp.TenantId)
        {
            logger.ConfirmationForeignFlow(hostApp.TenantId, key.TenantId);
            return GatewayProblems.VerificationNotFound();
        }

        var result = await grains.SessionGrain(key).ConfirmAuthorizationAsync(new AuthorizationConfirmation(key, flow.FlowId, userId), cancellationToken);
        logger.ConfirmationAnswered(key.Format(), result.Outcome);
        return result.Outcome switch
        {
            ConfirmationOutcome.Confirmed => TypedResults.Ok(new ConfirmAuthorizationResponse(ConnectionStatus.Connected.ToWireName(), result.ServerId, result.ReturnUrl)),
            ConfirmationOutcome.UserMismatch => GatewayProblems.VerificationUserMismatch(),
            ConfirmationOutcome.Expired => GatewayProblems.VerificationExpired(),
            _ => GatewayProblems.VerificationNotFound(),
        };
    }
}
