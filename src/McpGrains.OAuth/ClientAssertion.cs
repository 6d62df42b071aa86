using System.Security.Cryptography;
using Duende.IdentityModel;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGrains.OAuth;

/// <summary>
/// RFC 7523 section 2.2 client authentication (<c>private_key_jwt</c>): a short-lived JWT signed with the client's
/// private key, <c>iss</c> = <c>sub</c> = the client id, <c>aud</c> = the authorization server's issuer identifier.
/// </summary>
public static class ClientAssertion
{
    public const string AssertionType = OidcConstants.ClientAssertionTypes.JwtBearer;

    /// <summary>How long an assertion is valid: one token request.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Signs an assertion; throws <see cref="CryptographicException"/> when the key does not fit the algorithm.</summary>
    /// <param name="privateKeyPem">A PKCS#8 (or SEC1 / PKCS#1) PEM private key: EC for ES256/ES384/ES512, RSA for RS* and PS*.</param>
    /// <param name="algorithm">The JWS algorithm; null for ES256.</param>
    public static string Create(string clientId, string audience, string privateKeyPem, string? algorithm, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(privateKeyPem);
        var alg = string.IsNullOrEmpty(algorithm) ? SecurityAlgorithms.EcdsaSha256 : algorithm;
        using var key = ImportKey(privateKeyPem, alg);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtClaimTypes.Issuer] = clientId,
                [JwtClaimTypes.Subject] = clientId,
                [JwtClaimTypes.Audience] = audience,
                [JwtClaimTypes.JwtId] = Guid.NewGuid().ToString("N"),
                [JwtClaimTypes.IssuedAt] = now.ToUnixTimeSeconds(),
                [JwtClaimTypes.Expiration] = (now + Lifetime).ToUnixTimeSeconds(),
            },
            SigningCredentials = new SigningCredentials(key.SecurityKey, alg),
        });
    }

    private static KeyHolder ImportKey(string pem, string algorithm)
    {
        if (algorithm.StartsWith("ES", StringComparison.Ordinal))
        {
            var ec = ECDsa.Create();
            try
            {
                ec.ImportFromPem(pem);
                return new KeyHolder(ec, new ECDsaSecurityKey(ec));
            }
            catch (ArgumentException ex)
            {
                ec.Dispose();
                throw new CryptographicException($"The private key is not an EC key in PEM form, as {algorithm} needs.", ex);
            }
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new KeyHolder(rsa, new RsaSecurityKey(rsa));
        }
        catch (ArgumentException ex)
        {
            rsa.Dispose();
            throw new CryptographicException($"The private key is not an RSA key in PEM form, as {algorithm} needs.", ex);
        }
    }

    private sealed record KeyHolder(AsymmetricAlgorithm Key, SecurityKey SecurityKey) : IDisposable
    {
        public void Dispose() => Key.Dispose();
    }
}
