using System.Security.Cryptography;
using System.Text;
using Duende.IdentityModel;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGrains.OAuth;

/// <summary>
/// An RFC 9449 DPoP key pair (ES256, P-256) and the proofs it signs: one proof per HTTP request, with a fresh
/// <c>jti</c>, the request's method and URL (no query or fragment), <c>ath</c> when an access token goes with it, and the
/// server's <c>nonce</c> when it asked for one. The private key never leaves this object except as
/// <see cref="ExportPrivateKey"/> for encrypted storage. Thread-safe: proofs are signed on whatever thread sends.
/// </summary>
public sealed class DpopKey : IDisposable
{
    /// <summary>The proof algorithm McpGrains signs with (the one every DPoP server must accept in practice).</summary>
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly ECDsa _key;
    private readonly SigningCredentials _credentials;
    private readonly Dictionary<string, object> _publicJwk;

    private DpopKey(ECDsa key)
    {
        _key = key;
        _credentials = new SigningCredentials(new ECDsaSecurityKey(key), Algorithm);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var x = Base64UrlEncoder.Encode(parameters.Q.X!);
        var y = Base64UrlEncoder.Encode(parameters.Q.Y!);
        _publicJwk = new Dictionary<string, object>(StringComparer.Ordinal) { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = x, ["y"] = y };

        // RFC 7638: the thumbprint hashes the required members in lexicographic order, without spaces.
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""";
        Thumbprint = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>The RFC 7638 SHA-256 thumbprint of the public key: the <c>cnf.jkt</c> a bound token carries.</summary>
    public string Thumbprint { get; }

    public static DpopKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>A key stored by <see cref="ExportPrivateKey"/>; throws <see cref="CryptographicException"/> when damaged.</summary>
    public static DpopKey Import(string pkcs8Base64)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(Convert.FromBase64String(pkcs8Base64), out _);
            return new DpopKey(key);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            key.Dispose();
            throw new CryptographicException("The stored DPoP key is not readable.", ex);
        }
    }

    /// <summary>The private key as base64 PKCS#8: a secret, to be stored encrypted only.</summary>
    public string ExportPrivateKey() => Convert.ToBase64String(_key.ExportPkcs8PrivateKey());

    /// <summary>A proof for one request (RFC 9449 section 4.2).</summary>
    /// <param name="accessToken">The access token the request carries (its hash becomes <c>ath</c>), or null on a token request.</param>
    public string CreateProof(string method, Uri target, string? accessToken, string? nonce, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtClaimTypes.JwtId] = Guid.NewGuid().ToString("N"),
            [JwtClaimTypes.DPoPHttpMethod] = method,
            [JwtClaimTypes.DPoPHttpUrl] = target.GetLeftPart(UriPartial.Path),
            [JwtClaimTypes.IssuedAt] = now.ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            claims[JwtClaimTypes.DPoPAccessTokenHash] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        if (!string.IsNullOrEmpty(nonce))
        {
            claims[JwtClaimTypes.Nonce] = nonce;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = _credentials,
            TokenType = JwtClaimTypes.JwtTypes.DPoPProofToken,
            AdditionalHeaderClaims = new Dictionary<string, object>(StringComparer.Ordinal) { [JwtClaimTypes.JsonWebKey] = _publicJwk },
        });
    }

    public void Dispose() => _key.Dispose();

    public override string ToString() => $"DpopKey {{ Thumbprint = {Thumbprint} }}";
}
