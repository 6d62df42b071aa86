namespace McpGrains.OAuth;

/// <summary>Sends one upstream request and maps transport failures to <see cref="OAuthClientException"/>.</summary>
internal static class UpstreamCall
{
    /// <summary>
    /// Headers only (<see cref="HttpCompletionOption.ResponseHeadersRead"/>); read bodies with
    /// <see cref="ReadBodyAsync"/>. SSRF refusals become <paramref name="refusedErrorCode"/>, timeouts and connection
    /// failures upstream_unavailable. Caller cancellation propagates.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client,
        HttpRequestMessage request,
        string what,
        string refusedErrorCode,
        CancellationToken cancellationToken)
    {
        var url = SafeUrl.Format(request.RequestUri);
        try
        {
            try
            {
                return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException ex) when (request.Method == HttpMethod.Get && IsConnectionFailure(ex))
            {
                // A metadata GET is safe to repeat: one more try over a fresh connection absorbs a reset or a
                // refused connect on a busy server, before anything is reported as unavailable.
                using var retry = new HttpRequestMessage(HttpMethod.Get, request.RequestUri);
                foreach (var header in request.Headers)
                {
                    retry.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                return await client.SendAsync(retry, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OAuthClientException(SessionErrorCodes.UpstreamUnavailable, $"The {what} at {url} did not answer in time.", ex);
        }
        catch (HttpRequestException ex) when (UpstreamDestinationRefusedException.IsRefusal(ex))
        {
            throw new OAuthClientException(refusedErrorCode, $"The {what} at {url} was {UpstreamDestinationRefusedException.Find(ex)!.Message}.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new OAuthClientException(SessionErrorCodes.UpstreamUnavailable, $"The {what} at {url} could not be reached: {ex.Message}", ex);
        }
    }

    /// <summary>The body, bounded; an oversized body is <paramref name="errorCode"/>.</summary>
    public static async Task<byte[]> ReadBodyAsync(
        HttpResponseMessage response,
        int maxBytes,
        string what,
        string errorCode,
        CancellationToken cancellationToken)
    {
        try
        {
            return await BoundedContent.ReadAsync(response.Content, maxBytes, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new OAuthClientException(errorCode, $"The {what} is too large: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OAuthClientException(SessionErrorCodes.UpstreamUnavailable, $"The {what} did not arrive in time.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw new OAuthClientException(SessionErrorCodes.UpstreamUnavailable, $"The {what} could not be read: {ex.Message}", ex);
        }
    }

    /// <summary>The request never got an HTTP answer (not an SSRF refusal, which must not be retried).</summary>
    private static bool IsConnectionFailure(HttpRequestException ex) =>
        ex.StatusCode is null && !UpstreamDestinationRefusedException.IsRefusal(ex);
}
