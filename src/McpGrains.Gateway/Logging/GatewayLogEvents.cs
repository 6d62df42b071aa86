namespace McpGrains.Gateway.Logging;

/// <summary>Stable event ids of the gateway's log messages (range 3000-3099).</summary>
public static class GatewayLogEvents
{
    public const int AuthorizeFailed = 3001;
    public const int CallbackStateInvalid = 3010;
    public const int CallbackStateExpired = 3011;
    public const int CallbackCompleted = 3012;
    public const int CallbackReturnUrlRejected = 3013;
}
