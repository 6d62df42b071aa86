using System.Runtime.ExceptionServices;

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
            throw TimedOut(ex, what, request.RequestUri);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex, what, request.RequestUri, refusedErrorCode);
        }
    }

    /// <summary>The request timed out (HttpClient's timeout, not the caller's cancellation).</summary>
    public static OAuthClientException TimedOut(OperationCanceledException ex, string what, Uri? url) =>
        new(SessionErrorCodes.UpstreamUnavailable, $"The {what} at {SafeUrl.Format(url)} did not answer in time.", ex);

    /// <summary>
    /// The request got no answer: an SSRF refusal is <paramref name="refusedErrorCode"/>, any other HTTP or I/O failure
    /// upstream_unavailable. Anything else is a bug and is rethrown as it is.
    /// </summary>
    public static OAuthClientException Unreachable(Exception ex, string what, Uri? url, string refusedErrorCode)
    {
        if (UpstreamDestinationRefusedException.Find(ex) is { } refusal)
        {
            return new OAuthClientException(refusedErrorCode, $"The {what} at {SafeUrl.Format(url)} was {refusal.Message}.", ex);
        }

        return new OAuthClientException(SessionErrorCodes.UpstreamUnavailable, $"The {what} at {SafeUrl.Format(url)} could not be reached: {RequireTransportFailure(ex).Message}", ex);
    }

    /// <summary>
    /// <paramref name="ex"/> when it is an HTTP or I/O failure. Duende.IdentityModel catches whatever the send throws
    /// (but cancellation) into its response; what is not a transport failure is a bug, rethrown here as it was thrown.
    /// </summary>
    public static Exception RequireTransportFailure(Exception ex)
    {
        if (ex is not (HttpRequestException or IOException))
        {
            ExceptionDispatchInfo.Throw(ex);
        }

        return ex;
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
