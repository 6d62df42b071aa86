using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpGrains.Gateway.Endpoints;

/// <summary>
/// Reads a small, optional JSON body: no body (or only whitespace, or <c>null</c>) is allowed, anything else must parse.
/// Read by hand rather than bound so that an empty body without a content type is accepted and a malformed one gets
/// a problem response instead of an empty 400.
/// </summary>
internal static class OptionalJsonBody
{
    private const int DefaultMaxBodyBytes = 16 * 1024;

    /// <summary>A small body (at most 16 KiB).</summary>
    public static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions serializerOptions, CancellationToken cancellationToken)
        where T : class => ReadAsync<T>(request, serializerOptions, DefaultMaxBodyBytes, configuredLimit: false, cancellationToken);

    /// <summary>A body of up to <c>McpGrains:Limits:MaxRequestBodyBytes</c>.</summary>
    public static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions serializerOptions, long maxRequestBodyBytes, CancellationToken cancellationToken)
        where T : class => ReadAsync<T>(request, serializerOptions, maxRequestBodyBytes, configuredLimit: true, cancellationToken);

    private static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions serializerOptions, long maxBodyBytes, bool configuredLimit, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength is 0)
        {
            return (null, null);
        }

        // A pooled buffer sized by Content-Length when there is one; deserializing copies what it keeps.
        using var body = await PooledBody.ReadAsync(request, maxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (null, GatewayProblems.RequestBodyTooLarge(maxBodyBytes, configuredLimit));
        }

        if (body.Memory.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, null);
        }

        if (!request.HasJsonContentType())
        {
            return (null, GatewayProblems.UnsupportedMediaType());
        }

        try
        {
            return (JsonSerializer.Deserialize<T>(body.Memory.Span, serializerOptions), null);
        }
        catch (JsonException)
        {
            // The exception message can quote the body; say only what the contract is.
            return (null, GatewayProblems.InvalidBody("The request body must be a JSON object such as {\"returnUrl\": \"https://...\"}."));
        }
    }
}
