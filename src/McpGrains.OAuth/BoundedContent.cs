namespace McpGrains.OAuth;

/// <summary>
/// The size limit on upstream answers. Streamed reads (<see cref="HttpCompletionOption.ResponseHeadersRead"/>) go through
/// <see cref="ReadAsync"/>; requests sent through Duende.IdentityModel are buffered by HttpClient itself
/// (<see cref="HttpCompletionOption.ResponseContentRead"/>), which <see cref="LimitBuffering"/> bounds.
/// </summary>
internal static class BoundedContent
{
    /// <summary>Reads a body with a hard size limit, whether or not Content-Length is honest.</summary>
    public static async Task<byte[]> ReadAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is long declared && declared > maxBytes)
        {
            throw new InvalidDataException($"The response body ({declared} bytes) exceeds the limit of {maxBytes} bytes.");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                break;
            }

            if (buffer.Length + read > maxBytes)
            {
                throw new InvalidDataException($"The response body exceeds the limit of {maxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Duende.IdentityModel reads the whole body before handing it over: HttpClient buffers it, and refuses a declared or
    /// an actual body over <see cref="HttpClient.MaxResponseContentBufferSize"/> (<see cref="IsOverLimit"/>). A fresh
    /// client only; a client that has sent requests cannot change its limit.
    /// </summary>
    public static void LimitBuffering(HttpClient client, int maxBytes)
    {
        if (client.MaxResponseContentBufferSize > maxBytes)
        {
            client.MaxResponseContentBufferSize = maxBytes;
        }
    }

    /// <summary>True when HttpClient refused a buffered answer for its size (body, or header section).</summary>
    public static bool IsOverLimit(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded })
            {
                return true;
            }
        }

        return false;
    }
}
