using System.Net;
using System.Net.Http.Headers;
using McpGrains.OAuth;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// Puts the session's current access token on every upstream request and records, on the calling request's own
/// <see cref="UpstreamExchange"/>, the token sent and any 401/403 answer. A DPoP-bound token (RFC 9449) goes as
/// <c>Authorization: DPoP</c> with a fresh proof of its key in the <c>DPoP</c> header; a 401 <c>use_dpop_nonce</c>
/// with a <c>DPoP-Nonce</c> is retried once with a proof carrying that nonce, which later proofs carry too.
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
        var dpop = token is null ? null : _credentials.Dpop;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(dpop is null ? "Bearer" : TokenClient.DpopTokenType, token);
        }

        if (dpop is not null)
        {
            SetProof(request, dpop, token!, _credentials.DpopNonce);
        }

        var exchange = UpstreamExchange.Current;
        exchange?.RecordSent(token);
        var response = await base.SendAsync(request, cancellationToken);
        if (dpop is not null && ReadNonce(response) is { } nonce)
        {
            _credentials.DpopNonce = nonce;
            if (response.StatusCode == HttpStatusCode.Unauthorized && IsNonceChallenge(response))
            {
                // The request never reached the server's logic: the same message goes again, with a new proof.
                response.Dispose();
                SetProof(request, dpop, token!, nonce);
                response = await base.SendAsync(request, cancellationToken);
                if (ReadNonce(response) is { } next)
                {
                    _credentials.DpopNonce = next;
                }
            }
        }

        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            exchange?.RecordRefusal((int)response.StatusCode, response.Headers.WwwAuthenticate.ToString());
        }

        return response;
    }

    private void SetProof(HttpRequestMessage request, DpopKey dpop, string token, string? nonce)
    {
        request.Headers.Remove(TokenClient.DpopHeader);
        request.Headers.TryAddWithoutValidation(TokenClient.DpopHeader, dpop.CreateProof(request.Method.Method, request.RequestUri!, token, nonce, _credentials.Time.GetUtcNow()));
    }

    private static string? ReadNonce(HttpResponseMessage response) =>
        response.Headers.NonValidated.TryGetValues(TokenClient.DpopNonceHeader, out var values) && values.FirstOrDefault() is { Length: > 0 and <= 1024 } nonce ? nonce : null;

    private static bool IsNonceChallenge(HttpResponseMessage response) =>
        WwwAuthenticateChallenge.Parse(response.Headers) is { } challenge
            ? challenge.Error == TokenClient.UseDpopNonce
            : true;
}
