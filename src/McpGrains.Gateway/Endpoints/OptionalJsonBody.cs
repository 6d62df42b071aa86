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

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBodyBytes)
            {
                return (null, GatewayProblems.InvalidBody($"The request body must be at most {maxBodyBytes} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, null);
        }

        if (!request.HasJsonContentType())
        {
            return (null, GatewayProblems.UnsupportedMediaType());
        }

        try
        {
            return (JsonSerializer.Deserialize<T>(bytes.Span, serializerOptions), null);
        }
        catch (JsonException)
        {
            // The exception message can quote the body; say only what the contract is.
            return (null, GatewayProblems.InvalidBody("The request body must be a JSON object such as {\"returnUrl\": \"https://...\"}."));
        }
    }
}
