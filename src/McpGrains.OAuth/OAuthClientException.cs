namespace McpGrains.OAuth;

/// <summary>
/// Discovery or registration failed. <see cref="ErrorCode"/> is one of <see cref="SessionErrorCodes"/>; the message is
/// safe to show to users (no tokens, secrets or query strings).
/// </summary>
public sealed class OAuthClientException : Exception
{
    public OAuthClientException(string errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    public OAuthClientException(string errorCode, string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    public string ErrorCode { get; }
}
