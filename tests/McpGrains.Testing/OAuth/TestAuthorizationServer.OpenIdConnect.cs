using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Testing;

// An OpenID Connect provider, when TestAuthorizationServerOptions.OpenIdProvider is set: discovery names a JWKS and
// the signing algorithm, and a code granted with the openid scope is redeemed with an RS256-signed id_token (iss, sub,
// aud, exp, iat, the nonce of the authorization request, and the user's email).
public sealed partial class TestAuthorizationServer
{
    private readonly RSA _signingKey = RSA.Create(2048);
    private readonly string _signingKeyId = OAuthRandom.NewSecret("kid");

    /// <summary>The e-mail address the id_token names for a user: the mapping's, else the user name if it is one, else user@example.com.</summary>
    public string EmailOf(string subject) =>
        _options.Emails.TryGetValue(subject, out var email) ? email : subject.Contains('@', StringComparison.Ordinal) ? subject : subject + "@example.com";

    public Uri JwksUri => new(Issuer + "/jwks");

    private void AddOpenIdMetadata(JsonObject metadata)
    {
        if (!_options.OpenIdProvider)
        {
            return;
        }

        metadata["jwks_uri"] = JwksUri.ToString();
        metadata["id_token_signing_alg_values_supported"] = new JsonArray("RS256");
        metadata["subject_types_supported"] = new JsonArray("public");
        metadata["claims_supported"] = new JsonArray("sub", "email", "email_verified");
    }

    private void MapOpenIdConnect(IEndpointRouteBuilder app)
    {
        if (_options.OpenIdProvider)
        {
            app.MapGet(_options.IssuerPath + "/jwks", ServeJwks);
        }
    }

    private IResult ServeJwks()
    {
        var parameters = _signingKey.ExportParameters(includePrivateParameters: false);
        var key = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = _signingKeyId,
            ["n"] = Base64Url.EncodeToString(parameters.Modulus),
            ["e"] = Base64Url.EncodeToString(parameters.Exponent),
        };
        return Results.Json(new JsonObject { ["keys"] = new JsonArray(key) });
    }

    /// <summary>The id_token for a redeemed code, or null when the code was not granted for openid (or this is no OpenID provider).</summary>
    private string? IssueIdTokenLocked(IssuedAuthorizationCode code)
    {
        if (!_options.OpenIdProvider || !code.Scopes.Contains("openid", StringComparer.Ordinal))
        {
            return null;
        }

        var now = _timeProvider.GetUtcNow();
        var payload = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = code.Subject,
            ["aud"] = code.ClientId,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + _options.AccessTokenLifetime).ToUnixTimeSeconds(),
        };
        if (code.Nonce is not null)
        {
            payload["nonce"] = code.Nonce;
        }

        if (code.Scopes.Contains("email", StringComparer.Ordinal))
        {
            payload["email"] = EmailOf(code.Subject);
            payload["email_verified"] = _options.EmailVerified;
        }

        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = _signingKeyId };
        var signingInput = Segment(header) + "." + Segment(payload);
        var signature = _signingKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var idToken = signingInput + "." + Base64Url.EncodeToString(signature);
        _issuedSecrets.Add(idToken);
        return idToken;
    }

    private static string Segment(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
