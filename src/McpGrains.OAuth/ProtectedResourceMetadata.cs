using System.Text;

namespace McpGrains.OAuth;

/// <summary>RFC 9728 OAuth protected-resource metadata of an MCP server.</summary>
public sealed record ProtectedResourceMetadata
{
    public required string Resource { get; init; }

    public IReadOnlyList<string> AuthorizationServers { get; init; } = [];

    public IReadOnlyList<string>? ScopesSupported { get; init; }

    public IReadOnlyList<string>? BearerMethodsSupported { get; init; }

    public string? ResourceName { get; init; }

    public string? ResourceDocumentation { get; init; }

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

            return new ProtectedResourceMetadata
            {
                Resource = resource,
                AuthorizationServers = JsonObjectReader.GetStringArray(root, "authorization_servers") ?? [],
                ScopesSupported = JsonObjectReader.GetStringArray(root, "scopes_supported"),
                BearerMethodsSupported = JsonObjectReader.GetStringArray(root, "bearer_methods_supported"),
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
