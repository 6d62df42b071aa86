using System.Text;
using ModelContextProtocol.Authentication;

namespace McpGrains.OAuth;

/// <summary>
/// Reads an untrusted RFC 9728 document into the MCP SDK's <see cref="ProtectedResourceMetadata"/>. With our reader
/// rather than <c>JsonSerializer</c> and the SDK's contract, so that it is as strict as everything else read from
/// upstream (<see cref="JsonObjectReader"/>: one bounded JSON object, known members of the right type, text checked)
/// and as tolerant (non-string array elements skipped), and a document without <c>resource</c> is refused.
/// </summary>
public static class ProtectedResourceMetadataReader
{
    /// <summary>Parses an untrusted document; throws <see cref="OAuthClientException"/> (discovery_failed) when malformed.</summary>
    public static ProtectedResourceMetadata Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <inheritdoc cref="Parse(string)"/>
    public static ProtectedResourceMetadata Parse(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            using var document = JsonObjectReader.ParseObject(utf8Json, "protected resource metadata");
            var root = document.RootElement;
            var resource = JsonObjectReader.GetString(root, "resource");
            if (string.IsNullOrEmpty(resource))
            {
                throw new FormatException("The protected resource metadata has no 'resource'.");
            }

            // Absent lists are empty: the SDK's ["header"] default for bearer_methods_supported describes a server
            // that publishes, not a document that says nothing.
            return new ProtectedResourceMetadata
            {
                Resource = resource,
                AuthorizationServers = [.. JsonObjectReader.GetStringArray(root, "authorization_servers") ?? []],
                ScopesSupported = [.. JsonObjectReader.GetStringArray(root, "scopes_supported") ?? []],
                BearerMethodsSupported = [.. JsonObjectReader.GetStringArray(root, "bearer_methods_supported") ?? []],
                ResourceName = JsonObjectReader.GetString(root, "resource_name"),
                ResourceDocumentation = JsonObjectReader.GetString(root, "resource_documentation"),
            };
        }
        catch (FormatException ex)
        {
            throw new OAuthClientException(SessionErrorCodes.DiscoveryFailed, ex.Message, ex);
        }
    }
}
