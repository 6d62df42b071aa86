using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpGrains.Gateway.Endpoints;

/// <summary>The problem+json responses of the REST API, each with a stable <c>code</c> extension.</summary>
internal static class GatewayProblems
{
    /// <summary>Authorization failures caused by the upstream server or its authorization server: the gateway is fine, its upstream is not.</summary>
    private static readonly HashSet<string> UpstreamErrorCodes = new(StringComparer.Ordinal)
    {
        SessionErrorCodes.UpstreamUnavailable,
        SessionErrorCodes.DiscoveryFailed,
        SessionErrorCodes.RegistrationFailed,
        SessionErrorCodes.RegistrationUnavailable,
        SessionErrorCodes.PkceNotSupported,
        SessionErrorCodes.AuthorizationServerError,
        SessionErrorCodes.IssuerChanged,
    };

    public static ProblemHttpResult InvalidUserId() => Create(
        StatusCodes.Status400BadRequest,
        "The user id is not valid",
        $"User ids are 1 to {Identifiers.MaxUserIdLength} characters, not only whitespace, without control characters.",
        GatewayErrorCodes.InvalidUserId);

    public static ProblemHttpResult MissingUserHeader(string headerName) => Create(
        StatusCodes.Status400BadRequest,
        "The user id header is missing",
        $"Send the user's id, once, in the '{headerName}' header.",
        GatewayErrorCodes.MissingUserId);

    public static ProblemHttpResult InvalidServerId() => Create(
        StatusCodes.Status400BadRequest,
        "The server id is not valid",
        $"Server ids are 1 to {Identifiers.MaxNameLength} characters of letters, digits, '.', '_' or '-', starting with a letter or digit.",
        GatewayErrorCodes.InvalidServerId);

    // The id passed the identifier rules, so echoing it is safe.
    public static ProblemHttpResult UnknownServer(string serverId) => Create(
        StatusCodes.Status404NotFound,
        "Unknown server",
        $"No server '{serverId}' is configured; GET /api/v1/servers lists them.",
        GatewayErrorCodes.UnknownServer);

    public static ProblemHttpResult OriginNotAllowed() => Create(
        StatusCodes.Status403Forbidden,
        "The origin is not allowed",
        "Browser requests to /mcp are accepted from McpGrains' own origin and McpGrains:Security:AllowedOrigins only.",
        GatewayErrorCodes.OriginNotAllowed);

    public static ProblemHttpResult SessionNotYours() => Create(
        StatusCodes.Status403Forbidden,
        "The session belongs to another user",
        "A downstream MCP session stays bound to the host app, user and server that opened it.",
        GatewayErrorCodes.SessionBinding);

    public static ProblemHttpResult BodyTooLarge(int limit) => Create(
        StatusCodes.Status413PayloadTooLarge,
        "The request body is too large",
        $"The body must be at most {limit} bytes.",
        GatewayErrorCodes.BodyTooLarge);

    public static ProblemHttpResult InvalidBody(string detail) => Create(
        StatusCodes.Status400BadRequest,
        "The request body is not valid",
        detail,
        GatewayErrorCodes.InvalidBody);

    public static ProblemHttpResult UnsupportedMediaType() => Create(
        StatusCodes.Status415UnsupportedMediaType,
        "The request body must be JSON",
        "Send the body as application/json, or send no body.",
        GatewayErrorCodes.UnsupportedMediaType);

    public static ProblemHttpResult ReturnUrlNotAllowed() => Create(
        StatusCodes.Status400BadRequest,
        "The return URL is not allowed",
        "returnUrl must be an absolute http(s) URL matching an entry of McpGrains:Security:AllowedReturnUrls.",
        GatewayErrorCodes.ReturnUrlNotAllowed);

    /// <summary>502 when the upstream side failed, 500 for anything else.</summary>
    public static ProblemHttpResult AuthorizationFailed(SessionError? error)
    {
        var code = error?.Code ?? "authorization_failed";
        var status = UpstreamErrorCodes.Contains(code) ? StatusCodes.Status502BadGateway : StatusCodes.Status500InternalServerError;
        return Create(status, "The authorization could not be started", error?.Message, code);
    }

    private static ProblemHttpResult Create(int status, string title, string? detail, string code) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });
}
