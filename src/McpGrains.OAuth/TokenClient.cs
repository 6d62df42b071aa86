using Duende.IdentityModel.Client;
using McpGrains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.OAuth;

/// <summary>
/// Token endpoint calls (authorization code, refresh, RFC 7009 revocation; the grants without a browser are in
/// TokenClient.Grants) sent by Duende.IdentityModel over the guarded typed HttpClient: Duende writes the form, the
/// RFC 8707 <c>resource</c> parameters and the client authentication (<see cref="ClientAuthentication"/>). What the
/// endpoint answers is read by <see cref="ParseTokenResponse(byte[], int, bool, bool, bool)"/>. HTTP, OAuth and network
/// errors become <see cref="TokenResult"/> failures; only caller cancellation throws.
/// </summary>
public sealed partial class TokenClient
{
    private readonly HttpClient _httpClient;
    private readonly OAuthHttpOptions _options;
    private readonly ILogger<TokenClient> _logger;
    private readonly TimeProvider _time;

    public TokenClient(HttpClient httpClient, IOptions<OAuthHttpOptions> options, ILogger<TokenClient> logger, TimeProvider time)
    {
        _httpClient = httpClient;
        _options = options.Value;
        _logger = logger;
        _time = time;
        BoundedContent.LimitBuffering(httpClient, _options.MaxResponseBytes);
    }

    public Task<TokenResult> ExchangeCodeAsync(TokenEndpointContext ctx, string code, string codeVerifier, string redirectUri, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentException.ThrowIfNullOrEmpty(codeVerifier);
        ArgumentException.ThrowIfNullOrEmpty(redirectUri);
        return RequestTokenAsync(
            ctx,
            "authorization_code",
            () => new AuthorizationCodeTokenRequest { Code = code, CodeVerifier = codeVerifier, RedirectUri = redirectUri, Resource = ResourceOf(ctx) },
            HttpClientTokenRequestExtensions.RequestAuthorizationCodeTokenAsync,
            ct);
    }

    /// <param name="scopes">Optional narrower scope (RFC 6749 section 6); omitted when null or empty.</param>
    public Task<TokenResult> RefreshAsync(TokenEndpointContext ctx, string refreshToken, IReadOnlyList<string>? scopes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        return RequestTokenAsync(
            ctx,
            "refresh_token",
            () => new RefreshTokenRequest { RefreshToken = refreshToken, Scope = ScopeOf(scopes), Resource = ResourceOf(ctx) },
            HttpClientTokenRequestExtensions.RequestRefreshTokenAsync,
            ct);
    }

    /// <summary>RFC 7009 revocation, best effort: true on 2xx, false on any HTTP or network failure.</summary>
    public async Task<bool> RevokeAsync(TokenEndpointContext ctx, string revocationEndpoint, string token, string tokenTypeHint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentException.ThrowIfNullOrEmpty(token);
        var endpointForLog = SafeUrl.Format(revocationEndpoint);
        if (!Uri.TryCreate(revocationEndpoint, UriKind.Absolute, out _))
        {
            LogRevocationFailed(_logger, endpointForLog, "not an absolute URL");
            return false;
        }

        using var activity = McpGrainsTelemetry.StartOAuth("revocation");
        try
        {
            using var request = new TokenRevocationRequest { Address = revocationEndpoint, Token = token, TokenTypeHint = tokenTypeHint };
            ClientAuthentication.Apply(request, ctx, _time.GetUtcNow());
            using var response = await _httpClient.RevokeTokenAsync(request, ct);
            if (response.HttpResponse is { IsSuccessStatusCode: true })
            {
                return true;
            }

            LogRevocationFailed(_logger, endpointForLog, response.HttpResponse is { } http
                ? $"HTTP {(int)http.StatusCode}"
                : UpstreamCall.RequireTransportFailure(response.Exception!).Message);
            return false;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogRevocationFailed(_logger, endpointForLog, "timed out");
            return false;
        }
    }

    /// <summary>One token request: <paramref name="create"/> makes Duende's request (grant parameters), <paramref name="send"/> is Duende's call for it.</summary>
    private async Task<TokenResult> RequestTokenAsync<TRequest>(
        TokenEndpointContext ctx,
        string grantType,
        Func<TRequest> create,
        Func<HttpMessageInvoker, TRequest, CancellationToken, Task<TokenResponse>> send,
        CancellationToken ct)
        where TRequest : ProtocolRequest
    {
        var endpointForLog = SafeUrl.Format(ctx.TokenEndpoint);
        using var activity = McpGrainsTelemetry.StartOAuth("token", grantType);
        var result = await SendTokenRequestAsync(ctx, create, send, grantType == TokenExchangeGrantType, ct);
        if (result.IsSuccess)
        {
            LogTokenRequestSucceeded(_logger, grantType, endpointForLog, result.RefreshToken is not null);
        }
        else
        {
            LogTokenRequestFailed(_logger, grantType, endpointForLog, result.Error, result.HttpStatusCode);
        }

        return result;
    }

    private async Task<TokenResult> SendTokenRequestAsync<TRequest>(
        TokenEndpointContext ctx,
        Func<TRequest> create,
        Func<HttpMessageInvoker, TRequest, CancellationToken, Task<TokenResponse>> send,
        bool tokenExchange,
        CancellationToken ct)
        where TRequest : ProtocolRequest
    {
        if (!Uri.TryCreate(ctx.TokenEndpoint, UriKind.Absolute, out var endpoint))
        {
            return TokenResult.Failure(TokenResult.InvalidResponse, "The token endpoint is not an absolute URL.", null);
        }

        try
        {
            var nonce = ctx.Dpop is null ? null : _dpopNonces.GetValueOrDefault(endpoint.GetLeftPart(UriPartial.Path));
            for (var attempt = 0; ; attempt++)
            {
                using var request = create();
                request.Address = ctx.TokenEndpoint;
                ClientAuthentication.Apply(request, ctx, _time.GetUtcNow());
                // A proof per attempt (Duende sends it as the DPoP header), with the server's latest nonce.
                request.DPoPProofToken = ctx.Dpop?.CreateProof("POST", endpoint, accessToken: null, nonce, _time.GetUtcNow());
                using var response = await send(_httpClient, request, ct);
                if (response.HttpResponse is not { } http)
                {
                    return Unanswered(response.Exception!);
                }

                // HttpClient buffered the body, within the limit, before Duende read it: these are the bytes as received.
                var body = await http.Content.ReadAsByteArrayAsync(ct);
                var result = ParseTokenResponse(body, (int)http.StatusCode, http.IsSuccessStatusCode, ctx.Dpop is not null, tokenExchange);
                if (ctx.Dpop is not null && ReadDpopNonce(http) is { } fresh)
                {
                    // RFC 9449 section 8: the server's nonce goes into the next proof; a use_dpop_nonce refusal is retried once.
                    _dpopNonces[endpoint.GetLeftPart(UriPartial.Path)] = fresh;
                    if (result.Error == UseDpopNonce && attempt == 0)
                    {
                        nonce = fresh;
                        continue;
                    }
                }

                return result;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return TokenResult.Failure(TokenResult.NetworkError, "The token endpoint did not answer in time.", null);
        }
    }

    /// <summary>The request got no answer Duende could read: too large, or a network failure.</summary>
    private TokenResult Unanswered(Exception exception) => BoundedContent.IsOverLimit(exception)
        ? TokenResult.Failure(TokenResult.InvalidResponse, $"The token response exceeds the limit of {_options.MaxResponseBytes} bytes.", null)
        : TokenResult.Failure(TokenResult.NetworkError, $"The token endpoint could not be reached: {UpstreamCall.RequireTransportFailure(exception).Message}", null);

    /// <summary>RFC 8707 <c>resource</c> of the token request, when the context has one.</summary>
    private static ICollection<string> ResourceOf(TokenEndpointContext ctx) => ctx.Resource is { Length: > 0 } resource ? [resource] : [];

    private static string? ScopeOf(IReadOnlyList<string>? scopes) => scopes is { Count: > 0 } ? string.Join(' ', scopes) : null;
}
