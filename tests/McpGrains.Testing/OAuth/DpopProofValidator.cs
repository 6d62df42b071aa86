using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGrains.Testing;

/// <summary>
/// Checks an RFC 9449 DPoP proof as a server must (section 4.3): one <c>dpop+jwt</c> signed by the public key in its
/// <c>jwk</c> header, <c>htm</c> and <c>htu</c> of this request, a <c>jti</c>, <c>iat</c> within five minutes, and with an
/// access token its <c>ath</c>. Written independently of McpGrains' proof code, so that a shared bug cannot hide.
/// </summary>
public static class DpopProofValidator
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>The proof key's RFC 7638 thumbprint when the proof is valid; otherwise null and why.</summary>
    public static async Task<(string? Thumbprint, string? Nonce, string? Problem)> ValidateAsync(
        string? proof, string method, Uri target, string? accessToken, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(proof) || proof.Contains(',', StringComparison.Ordinal))
        {
            return (null, null, "missing or repeated DPoP proof");
        }

        JsonWebToken jwt;
        JsonWebKey key;
        try
        {
            jwt = Handler.ReadJsonWebToken(proof);
            var header = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedHeader))!.AsObject();
            if (header["jwk"] is not JsonObject jwk || jwk.ContainsKey("d"))
            {
                return (null, null, "no public jwk header");
            }

            key = new JsonWebKey(jwk.ToJsonString());
        }
        catch (Exception ex) when (ex is ArgumentException or System.Text.Json.JsonException or SecurityTokenException)
        {
            return (null, null, "not a JWT");
        }

        var result = await Handler.ValidateTokenAsync(proof, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidTypes = ["dpop+jwt"],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256],
        });
        if (!result.IsValid)
        {
            return (null, null, "signature or type invalid");
        }

        var claims = result.Claims;
        if (!claims.TryGetValue("jti", out var jti) || jti is not string { Length: > 0 })
        {
            return (null, null, "no jti");
        }

        if (!claims.TryGetValue("htm", out var htm) || htm as string != method)
        {
            return (null, null, "htm mismatch");
        }

        if (!claims.TryGetValue("htu", out var htu) || htu is not string htuText || htuText != target.GetLeftPart(UriPartial.Path))
        {
            return (null, null, "htu mismatch");
        }

        if (!claims.TryGetValue("iat", out var iat) || Math.Abs(now.ToUnixTimeSeconds() - Convert.ToInt64(iat, System.Globalization.CultureInfo.InvariantCulture)) > 300)
        {
            return (null, null, "iat outside the window");
        }

        if (accessToken is not null)
        {
            var expected = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
            if (!claims.TryGetValue("ath", out var ath) || ath as string != expected)
            {
                return (null, null, "ath mismatch");
            }
        }

        return (Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()), claims.TryGetValue("nonce", out var nonce) ? nonce as string : null, null);
    }
}
