using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace McpGrains.Testing;

public sealed partial class TestAuthorizationServer
{
    private void MapRegistration(IEndpointRouteBuilder app)
    {
        if (_options.SupportsDynamicRegistration)
        {
            app.MapPost(_options.IssuerPath + "/register", (Func<HttpContext, Task<IResult>>)RegisterAsync);
        }
    }

    private async Task<IResult> RegisterAsync(HttpContext context)
    {
        Interlocked.Increment(ref _registrationCount);
        JsonObject? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return RegistrationError("invalid_client_metadata", "The body is not a JSON object.");
        }

        if (request is null)
        {
            return RegistrationError("invalid_client_metadata", "The body is empty.");
        }

        var redirectUris = ReadStringArray(request, "redirect_uris");
        if (redirectUris is null || redirectUris.Count == 0)
        {
            return RegistrationError("invalid_redirect_uri", "redirect_uris is required.");
        }

        if (redirectUris.Any(uri => !Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Fragment.Length > 0))
        {
            return RegistrationError("invalid_redirect_uri", "Every redirect URI must be absolute and without a fragment.");
        }

        var method = ReadString(request, "token_endpoint_auth_method") ?? "client_secret_basic";
        if (!_options.RegisterAuthMethods.Contains(method, StringComparer.Ordinal))
        {
            return RegistrationError("invalid_client_metadata", $"token_endpoint_auth_method '{method}' is not supported.");
        }

        var grantTypes = ReadStringArray(request, "grant_types") ?? ["authorization_code"];
        var applicationType = ReadString(request, "application_type");
        var clientName = ReadString(request, "client_name");

        RegisteredClient client;
        lock (_sync)
        {
            var clientId = "client_" + Guid.NewGuid().ToString("N");
            var secret = method == "none" ? null : NewSecretLocked("secret");
            client = new RegisteredClient(clientId, secret, redirectUris, grantTypes, method, applicationType, clientName, DynamicallyRegistered: true);
            _clients[clientId] = client;
        }

        var response = new JsonObject
        {
            ["client_id"] = client.ClientId,
            ["client_id_issued_at"] = _timeProvider.GetUtcNow().ToUnixTimeSeconds(),
            ["redirect_uris"] = ToJsonArray(client.RedirectUris),
            ["grant_types"] = ToJsonArray(client.GrantTypes),
            ["response_types"] = new JsonArray("code"),
            ["token_endpoint_auth_method"] = client.TokenEndpointAuthMethod,
        };
        if (client.ClientSecret is not null)
        {
            response["client_secret"] = client.ClientSecret;
            response["client_secret_expires_at"] = 0;
        }

        if (applicationType is not null)
        {
            response["application_type"] = applicationType;
        }

        if (clientName is not null)
        {
            response["client_name"] = clientName;
        }

        return Results.Json(response, statusCode: StatusCodes.Status201Created);
    }

    private static IResult RegistrationError(string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: StatusCodes.Status400BadRequest);

    private static string? ReadString(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static List<string>? ReadStringArray(JsonObject json, string name)
    {
        if (json[name] is not JsonArray array)
        {
            return null;
        }

        var values = new List<string>();
        foreach (var item in array)
        {
            if (item is JsonValue value && value.TryGetValue<string>(out var text))
            {
                values.Add(text);
            }
        }

        return values;
    }
}
