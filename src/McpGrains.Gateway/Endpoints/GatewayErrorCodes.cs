namespace McpGrains.Gateway.Endpoints;

/// <summary>The <c>code</c> extension of problem responses the gateway itself produces (grain errors carry <see cref="SessionErrorCodes"/>).</summary>
public static class GatewayErrorCodes
{
    public const string InvalidUserId = "invalid_user_id";
    public const string MissingUserId = "missing_user_id";
    public const string UnresolvedUserPlaceholder = "unresolved_user_placeholder";
    public const string InvalidServerId = "invalid_server_id";
    public const string UnknownServer = "unknown_server";
    public const string InvalidBody = "invalid_body";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string ReturnUrlNotAllowed = "return_url_not_allowed";
    public const string OriginNotAllowed = "origin_not_allowed";
    public const string SessionBinding = "session_binding";
    public const string InvalidUserLabel = "invalid_user_label";
    public const string RequestBodyTooLarge = "request_body_too_large";
    public const string HostKeyAttemptsExceeded = "host_key_attempts_exceeded";
    public const string SessionLimitReached = "session_limit_reached";
    public const string VerificationNotFound = "verification_not_found";
    public const string IdentityRequired = "identity_required";
}
