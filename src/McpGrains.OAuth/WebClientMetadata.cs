using Duende.IdentityModel;
using Duende.IdentityModel.Client;

namespace McpGrains.OAuth;

/// <summary>
/// The RFC 7591 client metadata McpGrains presents as a web client using the authorization code grant with refresh
/// tokens: the same members in a dynamic registration request and in the client ID metadata document.
/// </summary>
internal static class WebClientMetadata
{
    public static DynamicClientRegistrationDocument Create(string clientName, string redirectUri, string tokenEndpointAuthMethod, string? scope = null) => new()
    {
        ApplicationType = "web",
        ClientName = clientName,
        RedirectUris = [new Uri(redirectUri, UriKind.RelativeOrAbsolute)],
        GrantTypes = [OidcConstants.GrantTypes.AuthorizationCode, OidcConstants.GrantTypes.RefreshToken],
        ResponseTypes = [OidcConstants.ResponseTypes.Code],
        TokenEndpointAuthenticationMethod = tokenEndpointAuthMethod,
        Scope = string.IsNullOrWhiteSpace(scope) ? null : scope,

        // Duende's document starts these as empty sets, which it would send as []: null leaves them out, as before.
        Contacts = null!,
        PostLogoutRedirectUris = null!,
        DefaultAcrValues = null!,
        RequestUris = null!,
    };
}
