using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpGrains.Gateway.Endpoints;

/// <summary>Maps an unsuccessful <see cref="UpstreamResult"/> to problem+json.</summary>
internal static class UpstreamProblems
{
    public const string AuthorizationRequiredCode = "authorization_required";
    public const string UpstreamErrorCode = "upstream_error";

    public static ProblemHttpResult From(UpstreamResult result, string serverId)
    {
        switch (result.Outcome)
        {
            case UpstreamOutcome.AuthorizationRequired:
                var extensions = new Dictionary<string, object?>
                {
                    ["code"] = AuthorizationRequiredCode,
                    ["serverId"] = serverId,
                    ["status"] = result.Authorization?.Status.ToWireName(),
                    ["authorizationUrl"] = result.Authorization?.AuthorizationUrl,
                    ["expiresAt"] = result.Authorization?.ExpiresAt,
                };
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Authorization required",
                    detail: result.Authorization is null
                        ? result.Error?.Message ?? "The user must authorize this server first."
                        : $"The user must authorize '{serverId}' first: send them to authorizationUrl, then retry.",
                    extensions: extensions);
            case UpstreamOutcome.Timeout:
                return Problem(StatusCodes.Status504GatewayTimeout, "The upstream server timed out", result.Error?.Message, result.Error?.Code ?? SessionErrorCodes.UpstreamTimeout);
            case UpstreamOutcome.RpcError:
                var error = result.RpcError!;
                var status = error.Code switch
                {
                    -32602 => StatusCodes.Status400BadRequest, // invalid params (unknown tool, bad arguments)
                    -32002 => StatusCodes.Status404NotFound, // resource not found
                    _ => StatusCodes.Status502BadGateway,
                };
                return TypedResults.Problem(
                    statusCode: status,
                    title: "The upstream server returned an error",
                    detail: error.Message,
                    extensions: new Dictionary<string, object?> { ["code"] = UpstreamErrorCode, ["rpcError"] = new { code = error.Code, message = error.Message } });
            default:
                return Problem(StatusCodes.Status502BadGateway, "The upstream server is unavailable", result.Error?.Message, result.Error?.Code ?? SessionErrorCodes.UpstreamUnavailable);
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string? detail, string code) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });
}
