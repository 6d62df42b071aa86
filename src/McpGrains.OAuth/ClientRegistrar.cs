using System.Text.Json;
using Duende.IdentityModel.Client;
using McpGrains.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.OAuth;

/// <summary>
/// RFC 7591 dynamic client registration of McpGrains as a confidential web client, sent by Duende.IdentityModel
/// (<c>RegisterClientAsync</c>) over the guarded typed HttpClient.
/// </summary>
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
        BoundedContent.LimitBuffering(httpClient, _options.MaxResponseBytes);
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

        using var registration = new DynamicClientRegistrationRequest
        {
            Address = server.RegistrationEndpoint,
            Document = WebClientMetadata.Create(request.ClientName, request.RedirectUri, authMethod, request.Scope),
        };
        using var response = await SendAsync(registration, endpoint, ct);
        var http = response.HttpResponse!;

        // Read from the bytes HttpClient buffered, not from Duende's response: its accessors take any JSON value as
        // text, and client_secret_expires_at only when it fits an int (secrets expiring after 2038 would never expire).
        var body = await http.Content.ReadAsByteArrayAsync(ct);
        if (!http.IsSuccessStatusCode)
        {
            var error = TryReadError(body);
            LogClientRegistrationFailed(_logger, server.Issuer, (int)http.StatusCode, error);
            throw new OAuthClientException(
                (int)http.StatusCode >= 500 ? SessionErrorCodes.UpstreamUnavailable : SessionErrorCodes.RegistrationFailed,
                $"Client registration at {SafeUrl.Format(endpoint)} failed with {(int)http.StatusCode}{(error is null ? string.Empty : $" ({error})")}.");
        }

        var credentials = ParseResponse(body, authMethod);
        LogClientRegistered(_logger, credentials.ClientId, server.Issuer, credentials.TokenEndpointAuthMethod);
        return credentials;
    }

    /// <summary>Duende's call; a request that got no answer becomes the <see cref="OAuthClientException"/> for it.</summary>
    private async Task<DynamicClientRegistrationResponse> SendAsync(DynamicClientRegistrationRequest registration, Uri endpoint, CancellationToken ct)
    {
        DynamicClientRegistrationResponse response;
        try
        {
            response = await _httpClient.RegisterClientAsync(registration, ct);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw UpstreamCall.TimedOut(ex, "registration endpoint", endpoint);
        }

        if (response.HttpResponse is not null)
        {
            return response;
        }

        response.Dispose();
        throw BoundedContent.IsOverLimit(response.Exception)
            ? new OAuthClientException(SessionErrorCodes.RegistrationFailed, $"The registration response is too large: it exceeds the limit of {_options.MaxResponseBytes} bytes.", response.Exception)
            : UpstreamCall.Unreachable(response.Exception!, "registration endpoint", endpoint, SessionErrorCodes.RegistrationFailed);
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
