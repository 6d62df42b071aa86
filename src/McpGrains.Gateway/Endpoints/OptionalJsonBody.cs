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

    public static Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions serializerOptions, CancellationToken cancellationToken)
        where T : class => ReadAsync<T>(request, serializerOptions, DefaultMaxBodyBytes, cancellationToken);

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions serializerOptions, int maxBodyBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength is 0)
        {
            return (null, null);
        }

        using var body = await PooledBody.ReadAsync(request, maxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (null, GatewayProblems.InvalidBody($"The request body must be at most {maxBodyBytes} bytes."));
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
            // Deserializing copies what it keeps out of the pooled buffer.
            return (JsonSerializer.Deserialize<T>(body.Memory.Span, serializerOptions), null);
        }
        catch (JsonException)
        {
            // The exception message can quote the body; say only what the contract is.
            return (null, GatewayProblems.InvalidBody("The request body must be a JSON object such as {\"returnUrl\": \"https://...\"}."));
        }
    }
}
