using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGrains.Testing;

public sealed partial class TestAuthorizationServer
{
    private void MapAuthorize(IEndpointRouteBuilder app)
    {
        app.MapGet(_options.IssuerPath + "/authorize", (Func<HttpContext, IResult>)Authorize);
    }

    /// <summary>Automatic consent: validates the request and answers at once with a redirect carrying a code.</summary>
    private IResult Authorize(HttpContext context)
    {
        Interlocked.Increment(ref _authorizeRequestCount);
        var query = context.Request.Query;
        string? Param(string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;

        var clientId = Param("client_id");
        var requestedRedirectUri = Param("redirect_uri");
        var state = Param("state");
        var scope = Param("scope");
        var resource = Param("resource");
        var codeChallenge = Param("code_challenge");
        var codeChallengeMethod = Param("code_challenge_method");
        var subject = SubjectOf(context);

        RegisteredClient? client;
        (string Error, string? Description)? injected = null;
        lock (_sync)
        {
            _authorizeRequests.Add(new AuthorizeRequestRecord(clientId, requestedRedirectUri, scope, resource, codeChallengeMethod, state is not null, subject));
            _receivedResources.Add(new ReceivedResource("authorize", resource));
            _clients.TryGetValue(clientId ?? "", out client);
        }

        // Without a known client and an exactly registered redirect URI there is nowhere safe to redirect to.
        if (client is null)
        {
            return ErrorPage("invalid_client", "Unknown client_id.");
        }

        string redirectUri;
        if (requestedRedirectUri is null)
        {
            if (client.RedirectUris.Count != 1)
            {
                return ErrorPage("invalid_request", "redirect_uri is required when several are registered.");
            }

            redirectUri = client.RedirectUris[0];
        }
        else if (client.RedirectUris.Contains(requestedRedirectUri, StringComparer.Ordinal))
        {
            redirectUri = requestedRedirectUri;
        }
        else
        {
            return ErrorPage("invalid_request", "redirect_uri does not match any registered redirect URI.");
        }

        lock (_sync)
        {
            if (_injectedAuthorizeErrors.Count > 0)
            {
                injected = _injectedAuthorizeErrors.Dequeue();
            }
        }

        if (injected is { } error)
        {
            return AuthorizationErrorRedirect(redirectUri, state, error.Error, error.Description);
        }

        if (Param("response_type") != "code")
        {
            return AuthorizationErrorRedirect(redirectUri, state, "unsupported_response_type", "Only response_type=code is supported.");
        }

        if (_options.CodeChallengeMethods.Count > 0)
        {
            if (string.IsNullOrEmpty(codeChallenge))
            {
                return AuthorizationErrorRedirect(redirectUri, state, "invalid_request", "code_challenge is required.");
            }

            if (codeChallengeMethod is null || !_options.CodeChallengeMethods.Contains(codeChallengeMethod, StringComparer.Ordinal))
            {
                return AuthorizationErrorRedirect(redirectUri, state, "invalid_request", "code_challenge_method must be S256.");
            }
        }
        else
        {
            // A server without PKCE ignores the parameters.
            codeChallenge = null;
        }

        var scopes = SplitScope(scope);
        if (_options.ScopesSupported.Count > 0 && scopes.FirstOrDefault(s => !_options.ScopesSupported.Contains(s, StringComparer.Ordinal)) is { } unknown)
        {
            return AuthorizationErrorRedirect(redirectUri, state, "invalid_scope", $"Unknown scope '{unknown}'.");
        }

        if (_options.DelegateTo is { } thirdParty)
        {
            return BeginDelegation(thirdParty, client.ClientId, redirectUri, state, codeChallenge, scopes, resource);
        }

        var code = IssueAuthorizationCode(client.ClientId, redirectUri, codeChallenge, subject, scopes, resource, Param("nonce"));
        return AuthorizationSuccessRedirect(redirectUri, state, code);
    }

    private string IssueAuthorizationCode(
        string clientId, string redirectUri, string? codeChallenge, string subject, IReadOnlyList<string> scopes, string? resource, string? nonce = null)
    {
        lock (_sync)
        {
            var code = NewSecretLocked("code");
            _codes[code] = new IssuedAuthorizationCode
            {
                ClientId = clientId,
                RedirectUri = redirectUri,
                CodeChallenge = codeChallenge,
                Subject = subject,
                Scopes = scopes,
                Resource = resource,
                ExpiresAt = _timeProvider.GetUtcNow() + _options.AuthorizationCodeLifetime,
                Nonce = nonce,
            };
            return code;
        }
    }

    private IResult AuthorizationSuccessRedirect(string redirectUri, string? state, string code)
    {
        var parameters = new Dictionary<string, string?> { ["code"] = code };
        return AuthorizationResponseRedirect(redirectUri, state, parameters);
    }

    private IResult AuthorizationErrorRedirect(string redirectUri, string? state, string error, string? description)
    {
        var parameters = new Dictionary<string, string?> { ["error"] = error };
        if (description is not null)
        {
            parameters["error_description"] = description;
        }

        return AuthorizationResponseRedirect(redirectUri, state, parameters);
    }

    private IResult AuthorizationResponseRedirect(string redirectUri, string? state, Dictionary<string, string?> parameters)
    {
        if (state is not null)
        {
            parameters["state"] = state;
        }

        if (_options.AdvertiseIssParameter)
        {
            parameters["iss"] = Issuer;
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, parameters));
    }

    private static IResult ErrorPage(string error, string description) =>
        Results.Text($"<html><body><h1>{error}</h1><p>{description}</p></body></html>", "text/html", statusCode: StatusCodes.Status400BadRequest);

    private static IReadOnlyList<string> SplitScope(string? scope) =>
        string.IsNullOrWhiteSpace(scope) ? [] : scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
