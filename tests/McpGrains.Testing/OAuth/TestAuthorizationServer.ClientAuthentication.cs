using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Testing;

public sealed partial class TestAuthorizationServer
{
    /// <summary>
    /// Authenticates the client of a /token or /revoke request strictly by its registered method
    /// (client_secret_basic, client_secret_post or none). Returns null and sets <paramref name="failure"/> on error.
    /// </summary>
    private RegisteredClient? AuthenticateClient(HttpContext context, IFormCollection form, out string presentedMethod, out IResult? failure)
    {
        var (clientId, secret, method) = ReadClientCredentials(context, form);
        presentedMethod = method;
        failure = null;

        RegisteredClient? client;
        lock (_sync)
        {
            _clients.TryGetValue(clientId ?? "", out client);
        }

        if (client is null)
        {
            failure = TokenError("invalid_client", "Unknown client.", StatusCodes.Status401Unauthorized);
            return null;
        }

        if (client.TokenEndpointAuthMethod != method)
        {
            failure = TokenError("invalid_client", $"The client must authenticate with {client.TokenEndpointAuthMethod}, not {method}.", StatusCodes.Status401Unauthorized);
            return null;
        }

        if (method != "none" && !OAuthRandom.FixedTimeEquals(client.ClientSecret, secret))
        {
            failure = TokenError("invalid_client", "Client authentication failed.", StatusCodes.Status401Unauthorized);
            return null;
        }

        return client;
    }

    private static (string? ClientId, string? Secret, string Method) ReadClientCredentials(HttpContext context, IFormCollection form)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (AuthenticationHeaderValue.TryParse(authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            && header.Parameter is not null)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
                var separator = decoded.IndexOf(':', StringComparison.Ordinal);
                if (separator >= 0)
                {
                    // RFC 6749 section 2.3.1: both parts are form-urlencoded before base64.
                    return (Uri.UnescapeDataString(decoded[..separator].Replace('+', ' ')),
                        Uri.UnescapeDataString(decoded[(separator + 1)..].Replace('+', ' ')),
                        "client_secret_basic");
                }
            }
            catch (FormatException)
            {
            }

            return (null, null, "client_secret_basic");
        }

        var formClientId = form["client_id"].ToString();
        var formSecret = form["client_secret"].ToString();
        return formSecret.Length > 0
            ? (formClientId, formSecret, "client_secret_post")
            : (formClientId.Length > 0 ? formClientId : null, null, "none");
    }
}
