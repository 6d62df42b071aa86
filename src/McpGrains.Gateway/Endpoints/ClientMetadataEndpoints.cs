using System.Text.Json.Nodes;
using McpGrains.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Endpoints;

/// <summary>
/// <c>GET /oauth/client-metadata.json</c>: McpGrains' OAuth Client ID Metadata Document. Authorization servers that
/// support such documents fetch it to learn who the client <c>https://…/oauth/client-metadata.json</c> is, so no
/// registration is needed.
/// </summary>
public static class ClientMetadataEndpoints
{
    public static RouteGroupBuilder MapClientMetadataEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/client-metadata.json", (IOptions<McpGrainsOptions> options) =>
            {
                var value = options.Value;
                var clientId = value.EffectiveClientMetadataDocumentUrl;
                if (clientId is null)
                {
                    return Results.NotFound();
                }

                var document = new JsonObject
                {
                    ["client_id"] = clientId,
                    ["client_name"] = value.Authorization.ClientName,
                    ["client_uri"] = value.PublicBaseUrl,
                    ["redirect_uris"] = new JsonArray(value.RedirectUri),
                    ["grant_types"] = new JsonArray("authorization_code", "refresh_token"),
                    ["response_types"] = new JsonArray("code"),
                    ["token_endpoint_auth_method"] = "none",
                    ["application_type"] = "web",
                };
                return Results.Text(document.ToJsonString(), "application/json");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        return group;
    }
}
