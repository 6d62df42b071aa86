using System.Net.Http.Headers;
using System.Text.Json;
using McpGrains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.OAuth;

/// <summary>RFC 7591 dynamic client registration of McpGrains as a confidential web client.</summary>
public sealed partial class ClientRegistrar
{
    private readonly HttpClient _httpClient;
    private readonly OAuthHttpOptions _options;
    private readonly ILogger<ClientRegistrar> _logger;

    public ClientRegistrar(HttpClient httpClient, IOptions<OAuthHttpOptions> options, ILogger<ClientRegistrar> logger)
    {
        _httpClient = httpClient;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Registers with <see cref="AuthorizationServerMetadata.RegistrationEndpoint"/>. Throws
    /// <see cref="OAuthClientException"/>: registration_unavailable (no endpoint), registration_failed, upstream_unavailable.
    /// </summary>
    public async Task<ClientCredentials> RegisterAsync(AuthorizationServerMetadata server, ClientRegistrationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(request);
        using var activity = McpGrainsTelemetry.StartOAuth("registration");
        if (!Uri.TryCreate(server.RegistrationEndpoint, UriKind.Absolute, out var endpoint))
        {
            throw new OAuthClientException(
                SessionErrorCodes.RegistrationUnavailable,
                $"The authorization server '{SafeUrl.Format(server.Issuer)}' offers no dynamic client registration; configure "
                + "McpGrains:Servers:<id>:OAuth:ClientId and McpGrains:Servers:<id>:OAuth:ClientSecret for this server.");
        }

        var authMethod = TokenEndpointAuthMethods.Choose(server.TokenEndpointAuthMethodsSupported)
            ?? throw new OAuthClientException(
                SessionErrorCodes.RegistrationFailed,
                $"The authorization server '{SafeUrl.Format(server.Issuer)}' supports none of the token endpoint auth methods "
                + "client_secret_basic, client_secret_post, none.");

        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint);
        message.Content = new ByteArrayContent(BuildRequestBody(request, authMethod));
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Accept.ParseAdd("application/json");

        using var response = await UpstreamCall.SendAsync(_httpClient, message, "registration endpoint", SessionErrorCodes.RegistrationFailed, ct);
        var body = await UpstreamCall.ReadBodyAsync(response, _options.MaxResponseBytes, "registration response", SessionErrorCodes.RegistrationFailed, ct);
        if (!response.IsSuccessStatusCode)
        {
            var error = TryReadError(body);
            LogClientRegistrationFailed(_logger, server.Issuer, (int)response.StatusCode, error);
            throw new OAuthClientException(
                (int)response.StatusCode >= 500 ? SessionErrorCodes.UpstreamUnavailable : SessionErrorCodes.RegistrationFailed,
                $"Client registration at {SafeUrl.Format(endpoint)} failed with {(int)response.StatusCode}{(error is null ? string.Empty : $" ({error})")}.");
        }

        var credentials = ParseResponse(body, authMethod);
        LogClientRegistered(_logger, credentials.ClientId, server.Issuer, credentials.TokenEndpointAuthMethod);
        return credentials;
    }

    /// <summary>The RFC 7591 request body (UTF-8 JSON).</summary>
    public static byte[] BuildRequestBody(ClientRegistrationRequest request, string tokenEndpointAuthMethod)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            ClientMetadataWriter.WriteCommonMembers(writer, request.ClientName, request.RedirectUri, tokenEndpointAuthMethod);
            if (!string.IsNullOrWhiteSpace(request.Scope))
            {
                writer.WriteString("scope", request.Scope);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static ClientCredentials ParseResponse(byte[] body, string requestedAuthMethod)
    {
        try
        {
            using var document = JsonObjectReader.ParseObject(body, "registration response");
            var root = document.RootElement;
            var clientId = JsonObjectReader.GetString(root, "client_id");
            if (string.IsNullOrEmpty(clientId))
            {
                throw new FormatException("The registration response has no client_id.");
            }

            // The server may assign a different method than requested (RFC 7591 section 3.2.1); its answer wins.
            var authMethod = JsonObjectReader.GetString(root, "token_endpoint_auth_method") ?? requestedAuthMethod;
            var secret = JsonObjectReader.GetString(root, "client_secret");
            if (authMethod != TokenEndpointAuthMethods.None && string.IsNullOrEmpty(secret))
            {
                throw new FormatException($"The registration response has no client_secret for {authMethod}.");
            }

            var expiresAt = JsonObjectReader.GetFlexibleInt64(root, "client_secret_expires_at") is long seconds and > 0
                ? DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253402300799))
                : (DateTimeOffset?)null;
            return new ClientCredentials(clientId, string.IsNullOrEmpty(secret) ? null : secret, authMethod, expiresAt);
        }
        catch (FormatException ex)
        {
            throw new OAuthClientException(SessionErrorCodes.RegistrationFailed, ex.Message, ex);
        }
    }

    private static string? TryReadError(byte[] body)
    {
        try
        {
            using var document = JsonObjectReader.ParseObject(body, "registration error");
            // Only the RFC 7591 error code: it is a token, unlike the free-text description.
            return OAuthErrorText.TryCode(JsonObjectReader.GetString(document.RootElement, "error"));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
