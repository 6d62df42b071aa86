using Duende.IdentityModel.Client;
using DuendeClientAssertion = Duende.IdentityModel.Client.ClientAssertion;

namespace McpGrains.OAuth;

/// <summary>
/// How a request to the token or revocation endpoint authenticates the client (RFC 6749 section 2.3, RFC 7523
/// section 2.2), set on Duende's request, which writes it when it sends.
/// </summary>
internal static class ClientAuthentication
{
    /// <summary>Throws <see cref="ArgumentException"/> for a method McpGrains does not implement, or private_key_jwt without a key.</summary>
    public static void Apply(ProtocolRequest request, TokenEndpointContext ctx, DateTimeOffset now)
    {
        request.ClientId = ctx.ClientId;
        request.ClientCredentialStyle = ClientCredentialStyle.PostBody;
        switch (ctx.AuthMethod)
        {
            case TokenEndpointAuthMethods.ClientSecretBasic when ctx.ClientSecret is not null:
                // RFC 6749 section 2.3.1: id and secret form-encoded (a space is '+'), then base64.
                request.ClientCredentialStyle = ClientCredentialStyle.AuthorizationHeader;
                request.AuthorizationHeaderStyle = BasicAuthenticationHeaderStyle.Rfc6749;
                request.ClientSecret = ctx.ClientSecret;
                break;
            case TokenEndpointAuthMethods.ClientSecretPost when ctx.ClientSecret is not null:
                request.ClientSecret = ctx.ClientSecret;
                break;
            case TokenEndpointAuthMethods.PrivateKeyJwt when ctx.PrivateKeyPem is not null:
                // RFC 7523 section 2.2: the audience is the issuer identifier (the token endpoint when unknown); client_id goes along.
                request.ClientAssertion = new DuendeClientAssertion
                {
                    Type = ClientAssertion.AssertionType,
                    Value = ClientAssertion.Create(ctx.ClientId, ctx.Issuer ?? ctx.TokenEndpoint, ctx.PrivateKeyPem, ctx.SigningAlgorithm, now),
                };
                break;
            case TokenEndpointAuthMethods.ClientSecretBasic or TokenEndpointAuthMethods.ClientSecretPost or TokenEndpointAuthMethods.None:
                // A public client, or a secret-based method without a secret: identify by client_id only.
                break;
            default:
                throw new ArgumentException($"Unsupported token endpoint auth method '{ctx.AuthMethod}'.", nameof(ctx));
        }
    }
}
