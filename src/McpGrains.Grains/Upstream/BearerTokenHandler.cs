using System.Net;
using System.Net.Http.Headers;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// Puts the session's current access token on every upstream request and records, on the calling request's own
/// <see cref="UpstreamExchange"/>, the token sent and any 401/403 answer.
/// </summary>
public sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly UpstreamCredentials _credentials;

    public BearerTokenHandler(UpstreamCredentials credentials, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        _credentials = credentials;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = _credentials.AccessToken;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var exchange = UpstreamExchange.Current;
        exchange?.RecordSent(token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            exchange?.RecordRefusal((int)response.StatusCode, response.Headers.WwwAuthenticate.ToString());
        }

        return response;
    }
}
