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

    // The id itself is not echoed: it is whatever the host app sent.
    public static ProblemHttpResult UnresolvedUserPlaceholder() => Create(
        StatusCodes.Status400BadRequest,
        "The user id is an unfilled placeholder",
        "The user id looks like a template placeholder such as {{LIBRECHAT_USER_ID}}: the host app did not fill the placeholder with the user's id. Fix the host app's configuration (for LibreChat, the X-User-Id header of the server's entry in librechat.yaml).",
        GatewayErrorCodes.UnresolvedUserPlaceholder);

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
        "returnUrl must be an absolute http(s) URL matching an entry of McpGrains:Security:AllowedReturnUrls, without backslashes, "
        + "whitespace, control characters, user info or percent-encoded slashes.",
        GatewayErrorCodes.ReturnUrlNotAllowed);

    /// <param name="source">Where the label came from: the body field or the header name.</param>
    public static ProblemHttpResult InvalidUserLabel(string source) => Create(
        StatusCodes.Status400BadRequest,
        "The user label is not valid",
        $"{source} must be sent once, 1 to {UserLabels.MaxLength} characters without control characters.",
        GatewayErrorCodes.InvalidUserLabel);

    // One answer for a malformed flow id, another host app's flow and one that awaits nothing (replayed, discarded).
    public static ProblemHttpResult VerificationNotFound() => Create(
        StatusCodes.Status404NotFound,
        "No sign-in awaits this confirmation",
        "The flow id is unknown to this host app, or its sign-in was confirmed, discarded or replaced already. Nothing was changed.",
        GatewayErrorCodes.VerificationNotFound);

    public static ProblemHttpResult VerificationUserMismatch() => Create(
        StatusCodes.Status403Forbidden,
        "The sign-in belongs to another user",
        "The flow was started for another user than the one confirmed. Its tokens were discarded and revoked; nothing was connected.",
        SessionErrorCodes.VerificationUserMismatch);

    public static ProblemHttpResult VerificationExpired() => Create(
        StatusCodes.Status410Gone,
        "The confirmation came too late",
        "The sign-in was not confirmed within McpGrains:HostApps:<name>:VerificationTimeout. Its tokens were discarded and revoked; the user must start again.",
        SessionErrorCodes.VerificationExpired);

    /// <param name="source">Where the identity is expected: the body field or the header name.</param>
    public static ProblemHttpResult IdentityRequired(string source) => Create(
        StatusCodes.Status400BadRequest,
        "The user's identity is required",
        $"This host app binds sign-ins to the identity it names (McpGrains:HostApps:<name>:Binding=oidc): send it in {source}, 1 to {UserLabels.MaxLength} characters without control characters.",
        GatewayErrorCodes.IdentityRequired);

    public static ProblemHttpResult TooManyRequests(string detail, string code) => Create(
        StatusCodes.Status429TooManyRequests,
        "Too many requests",
        detail,
        code);

    public static ProblemHttpResult SessionLimitReached(string limitKey, int limit) => Create(
        StatusCodes.Status429TooManyRequests,
        "Too many open MCP sessions",
        limitKey == nameof(Configuration.LimitsOptions.MaxDownstreamSessionsPerUser)
            ? $"This user already has {limit} open MCP sessions (McpGrains:Limits:{limitKey}); end unused sessions (DELETE with their Mcp-Session-Id) or wait until idle ones expire."
            : $"This host app already has {limit} open MCP sessions (McpGrains:Limits:{limitKey}); end unused sessions (DELETE with their Mcp-Session-Id) or wait until idle ones expire.",
        GatewayErrorCodes.SessionLimitReached);

    /// <param name="configuredLimit">The limit is <c>McpGrains:Limits:MaxRequestBodyBytes</c> (else the endpoint's own, smaller one).</param>
    public static ProblemHttpResult RequestBodyTooLarge(long limit, bool configuredLimit = true) => Create(
        StatusCodes.Status413PayloadTooLarge,
        "The request body is too large",
        configuredLimit
            ? $"Request bodies are limited to {limit} bytes (McpGrains:Limits:MaxRequestBodyBytes)."
            : $"This endpoint's request body is limited to {limit} bytes.",
        GatewayErrorCodes.RequestBodyTooLarge);

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
