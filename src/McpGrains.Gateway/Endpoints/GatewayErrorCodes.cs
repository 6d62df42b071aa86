namespace McpGrains.Gateway.Endpoints;

/// <summary>The <c>code</c> extension of problem responses the gateway itself produces (grain errors carry <see cref="SessionErrorCodes"/>).</summary>
public static class GatewayErrorCodes
{
    public const string InvalidUserId = "invalid_user_id";
    public const string MissingUserId = "missing_user_id";
    public const string InvalidServerId = "invalid_server_id";
    public const string UnknownServer = "unknown_server";
    public const string InvalidBody = "invalid_body";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string ReturnUrlNotAllowed = "return_url_not_allowed";
    public const string OriginNotAllowed = "origin_not_allowed";
    public const string SessionBinding = "session_binding";
    public const string BodyTooLarge = "body_too_large";
}
