using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Testing;

public sealed partial class TestAuthorizationServer
{
    private void MapToken(IEndpointRouteBuilder app)
    {
        app.MapPost(_options.IssuerPath + "/token", (Func<HttpContext, Task<IResult>>)HandleTokenAsync);
    }

    private async Task<IResult> HandleTokenAsync(HttpContext context)
    {
        Interlocked.Increment(ref _tokenRequestCount);
        context.Response.Headers.CacheControl = "no-store";
        if (!context.Request.HasFormContentType)
        {
            return TokenError("invalid_request", "The token request must be application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        await TokenRequestGate.PassAsync(context.RequestAborted);

        var grantType = form["grant_type"].ToString();
        if (TakeInjectedTokenError() is { } injected)
        {
            return injected;
        }

        var client = AuthenticateClient(context, form, out var presentedMethod, out var failure);
        string? jkt = null;
        if (_options.DpopSigningAlgValues is not null && context.Request.Headers.ContainsKey("DPoP"))
        {
            var (thumbprint, _, problem) = await DpopProofValidator.ValidateAsync(context.Request.Headers["DPoP"].ToString(), "POST", TokenEndpoint, null, _timeProvider.GetUtcNow());
            if (thumbprint is null)
            {
                return TokenError("invalid_dpop_proof", problem);
            }

            jkt = thumbprint;
            Interlocked.Increment(ref _dpopTokenRequestCount);
        }

        lock (_sync)
        {
            _tokenRequests.Add(new TokenRequestRecord(grantType, client?.ClientId ?? form["client_id"].ToString(), presentedMethod, NullIfEmpty(form["resource"].ToString()), NullIfEmpty(form["scope"].ToString())));
        }

        if (client is null)
        {
            return failure!;
        }

        return grantType switch
        {
            "authorization_code" => RedeemAuthorizationCode(client, form, jkt),
            "refresh_token" => Refresh(client, form, jkt),
            "client_credentials" => IssueClientCredentials(client, form),
            JwtBearerGrantType => RedeemIdentityAssertionGrant(client, form),
            TokenExchangeGrantType => ExchangeIdToken(client, form),
            _ => TokenError("unsupported_grant_type", $"grant_type '{grantType}' is not supported."),
        };
    }

    private IResult? TakeInjectedTokenError()
    {
        lock (_sync)
        {
            if (_injectedTokenErrors.Count == 0)
            {
                return null;
            }

            var injected = _injectedTokenErrors[0];
            if (--injected.RemainingTimes == 0)
            {
                _injectedTokenErrors.RemoveAt(0);
            }

            var status = injected.Error switch
            {
                "invalid_client" => StatusCodes.Status401Unauthorized,
                "server_error" => StatusCodes.Status500InternalServerError,
                "temporarily_unavailable" => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status400BadRequest,
            };
            return TokenError(injected.Error, injected.Description, status);
        }
    }

    private IResult RedeemAuthorizationCode(RegisteredClient client, IFormCollection form, string? jkt)
    {
        Interlocked.Increment(ref _authorizationCodeGrantCount);
        var resource = NullIfEmpty(form["resource"].ToString());
        var codeValue = form["code"].ToString();
        var verifier = form["code_verifier"].ToString();
        var redirectUri = form["redirect_uri"].ToString();

        lock (_sync)
        {
            if (verifier.Length > 0)
            {
                // A PKCE verifier is a client secret too: tests check it never leaks from the client.
                _issuedSecrets.Add(verifier);
            }

            _receivedResources.Add(new ReceivedResource("token", resource));
            if (!_codes.TryGetValue(codeValue, out var code))
            {
                return TokenError("invalid_grant", "Unknown authorization code.");
            }

            if (code.Redeemed)
            {
                // RFC 6749 section 4.1.2: a replayed code revokes what it produced.
                if (code.FamilyId is not null)
                {
                    _revokedFamilies.Add(code.FamilyId);
                }

                return TokenError("invalid_grant", "The authorization code was already used.");
            }

            if (code.ExpiresAt <= _timeProvider.GetUtcNow())
            {
                return TokenError("invalid_grant", "The authorization code expired.");
            }

            if (code.ClientId != client.ClientId)
            {
                return TokenError("invalid_grant", "The authorization code was issued to another client.");
            }

            if (redirectUri != code.RedirectUri)
            {
                return TokenError("invalid_grant", "redirect_uri does not match the authorization request.");
            }

            if (code.CodeChallenge is not null
                && (verifier.Length == 0 || !OAuthRandom.FixedTimeEquals(OAuthRandom.S256Challenge(verifier), code.CodeChallenge)))
            {
                return TokenError("invalid_grant", "PKCE verification failed.");
            }

            code.Redeemed = true;
            code.FamilyId = Guid.NewGuid().ToString("N");
            var issueRefreshToken = _options.IssueRefreshTokens
                && (!_options.EnforceRegisteredGrantTypes || client.AllowsGrant("refresh_token"))
                && (!_options.RefreshTokensRequireOfflineAccess || code.Scopes.Contains("offline_access"));
            return IssueTokensLocked(code.FamilyId, code.Subject, client.ClientId, code.Scopes, resource ?? code.Resource, issueRefreshToken, idToken: IssueIdTokenLocked(code), jkt: jkt);
        }
    }

    private IResult Refresh(RegisteredClient client, IFormCollection form, string? jkt)
    {
        Interlocked.Increment(ref _refreshRequestCount);
        var resource = NullIfEmpty(form["resource"].ToString());
        var presented = form["refresh_token"].ToString();
        var requestedScopes = SplitScope(form["scope"].ToString());

        lock (_sync)
        {
            _receivedResources.Add(new ReceivedResource("refresh", resource));
            if (_options.EnforceRegisteredGrantTypes && !client.AllowsGrant("refresh_token"))
            {
                return TokenError("unauthorized_client", "The client did not register the refresh_token grant.");
            }

            if (!_refreshTokens.TryGetValue(presented, out var record)
                || record.Revoked
                || _revokedFamilies.Contains(record.FamilyId))
            {
                return TokenError("invalid_grant", "The refresh token is invalid or revoked.");
            }

            if (record.ClientId != client.ClientId)
            {
                return TokenError("invalid_grant", "The refresh token was issued to another client.");
            }

            if (record.Rotated)
            {
                // Reuse of a rotated refresh token: assume theft and revoke the whole family.
                _revokedFamilies.Add(record.FamilyId);
                Interlocked.Increment(ref _reuseDetectedCount);
                return TokenError("invalid_grant", "The refresh token was already used.");
            }

            if (requestedScopes.FirstOrDefault(s => !record.Scopes.Contains(s, StringComparer.Ordinal)) is { } extra)
            {
                return TokenError("invalid_scope", $"Scope '{extra}' was not granted originally.");
            }

            var scopes = requestedScopes.Count > 0 ? requestedScopes : record.Scopes;
            if (_options.RotateRefreshTokens)
            {
                record.Rotated = true;
            }

            // The refresh token keeps the original grant; only the new access token is narrowed.
            var response = IssueTokensLocked(record.FamilyId, record.Subject, client.ClientId, scopes, resource ?? record.Resource, _options.RotateRefreshTokens, record.Scopes, jkt);
            return response;
        }
    }

    private IResult IssueTokensLocked(
        string familyId,
        string subject,
        string clientId,
        IReadOnlyList<string> scopes,
        string? resource,
        bool issueRefreshToken,
        IReadOnlyList<string>? refreshTokenScopes = null,
        string? idToken = null,
        string? jkt = null)
    {
        var accessToken = NewSecretLocked("at");
        _accessTokens[accessToken] = new IssuedAccessToken
        {
            FamilyId = familyId,
            Subject = subject,
            ClientId = clientId,
            Scopes = scopes,
            Resource = resource,
            ExpiresAt = _timeProvider.GetUtcNow() + _options.AccessTokenLifetime,
            Jkt = jkt,
        };

        var lifetime = (long)_options.AccessTokenLifetime.TotalSeconds;
        var response = new JsonObject
        {
            ["access_token"] = accessToken,
            ["token_type"] = jkt is null ? "Bearer" : "DPoP",
            ["expires_in"] = _options.ExpiresInAsString ? JsonValue.Create(lifetime.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(lifetime),
            ["scope"] = string.Join(' ', scopes),
        };
        if (_options.OmitExpiresIn)
        {
            response.Remove("expires_in");
        }

        if (idToken is not null)
        {
            response["id_token"] = idToken;
        }

        if (issueRefreshToken)
        {
            var refreshToken = NewSecretLocked("rt");
            _refreshTokens[refreshToken] = new IssuedRefreshToken
            {
                FamilyId = familyId,
                Subject = subject,
                ClientId = clientId,
                Scopes = refreshTokenScopes ?? scopes,
                Resource = resource,
            };
            response["refresh_token"] = refreshToken;
        }

        return Results.Json(response);
    }

    private static IResult TokenError(string error, string? description, int statusCode = StatusCodes.Status400BadRequest)
    {
        var body = new JsonObject { ["error"] = error };
        if (description is not null)
        {
            body["error_description"] = description;
        }

        return Results.Json(body, statusCode: statusCode);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
