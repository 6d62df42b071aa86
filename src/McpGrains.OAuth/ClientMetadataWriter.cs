using System.Text.Json;

namespace McpGrains.OAuth;

/// <summary>
/// The RFC 7591 client metadata McpGrains presents as a web client using the authorization code grant with refresh
/// tokens: the same members in a dynamic registration request and in the client ID metadata document.
/// </summary>
internal static class ClientMetadataWriter
{
    /// <summary>Writes the shared members into the object <paramref name="writer"/> has open.</summary>
    public static void WriteCommonMembers(Utf8JsonWriter writer, string clientName, string redirectUri, string tokenEndpointAuthMethod)
    {
        writer.WriteString("application_type", "web");
        writer.WriteString("client_name", clientName);
        writer.WriteStartArray("redirect_uris");
        writer.WriteStringValue(redirectUri);
        writer.WriteEndArray();
        writer.WriteStartArray("grant_types");
        writer.WriteStringValue("authorization_code");
        writer.WriteStringValue("refresh_token");
        writer.WriteEndArray();
        writer.WriteStartArray("response_types");
        writer.WriteStringValue("code");
        writer.WriteEndArray();
        writer.WriteString("token_endpoint_auth_method", tokenEndpointAuthMethod);
    }
}
