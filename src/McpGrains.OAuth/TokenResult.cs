namespace McpGrains.OAuth;

/// <summary>
/// Outcome of a token request: tokens, or an OAuth error code (<c>invalid_grant</c>, ...), <c>network_error</c> or
/// <c>invalid_response</c>. Tokens are redacted by <see cref="ToString"/>.
/// </summary>
public sealed record TokenResult
{
    public const string NetworkError = "network_error";
    public const string InvalidResponse = "invalid_response";

    public bool IsSuccess { get; init; }

    public string? AccessToken { get; init; }

    public string? RefreshToken { get; init; }

    public TimeSpan? ExpiresIn { get; init; }

    /// <summary>The granted scope when the server says so (RFC 6749 section 5.1: omitted means "as requested").</summary>
    public string? Scope { get; init; }

    public string? TokenType { get; init; }

    public string? Error { get; init; }

    public string? ErrorDescription { get; init; }

    public int? HttpStatusCode { get; init; }

    public bool IsInvalidGrant => Error == "invalid_grant";

    public static TokenResult Failure(string error, string? description, int? httpStatusCode) =>
        new() { IsSuccess = false, Error = error, ErrorDescription = description, HttpStatusCode = httpStatusCode };

    public override string ToString() => IsSuccess
        ? $"TokenResult {{ IsSuccess = True, AccessToken = [redacted], RefreshToken = {(RefreshToken is null ? "(none)" : "[redacted]")}, "
          + $"ExpiresIn = {ExpiresIn}, Scope = {Scope}, TokenType = {TokenType} }}"
        : $"TokenResult {{ IsSuccess = False, Error = {Error}, ErrorDescription = {ErrorDescription}, HttpStatusCode = {HttpStatusCode} }}";
}
