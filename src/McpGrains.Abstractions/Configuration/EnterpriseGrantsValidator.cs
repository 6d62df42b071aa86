namespace McpGrains.Configuration;

/// <summary>The checks of the grant settings (issue 16): grant types, DPoP modes, keys and assertions, identity providers.</summary>
internal static class EnterpriseGrantsValidator
{
    private static readonly string[] AuthMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"];

    public static IEnumerable<string> ValidateServer(string prefix, UpstreamOAuthOptions oauth, McpGrainsOptions options)
    {
        if (!UpstreamGrantTypes.All.Contains(oauth.GrantType, StringComparer.Ordinal))
        {
            yield return $"{prefix}:OAuth:GrantType must be one of {string.Join(", ", UpstreamGrantTypes.All)} (was '{oauth.GrantType}').";
        }

        if (!DpopModes.All.Contains(oauth.Dpop, StringComparer.Ordinal))
        {
            yield return $"{prefix}:OAuth:Dpop must be one of {string.Join(", ", DpopModes.All)} (was '{oauth.Dpop}').";
        }

        if (oauth.TokenEndpointAuthMethod is { } method && !AuthMethods.Contains(method, StringComparer.Ordinal))
        {
            yield return $"{prefix}:OAuth:TokenEndpointAuthMethod must be one of {string.Join(", ", AuthMethods)} (was '{method}').";
        }

        if (oauth.PrivateKey is not null && oauth.PrivateKeyFile is not null)
        {
            yield return $"{prefix}:OAuth:PrivateKey and PrivateKeyFile are both set; use one.";
        }

        if (oauth.Assertion is not null && oauth.AssertionFile is not null)
        {
            yield return $"{prefix}:OAuth:Assertion and AssertionFile are both set; use one.";
        }

        if (oauth.TokenEndpointAuthMethod == "private_key_jwt" && oauth.PrivateKey is null && oauth.PrivateKeyFile is null)
        {
            yield return $"{prefix}:OAuth:TokenEndpointAuthMethod private_key_jwt needs {prefix}:OAuth:PrivateKey or PrivateKeyFile.";
        }

        switch (oauth.GrantType)
        {
            case UpstreamGrantTypes.ClientCredentials when string.IsNullOrEmpty(oauth.ClientId):
                yield return $"{prefix}:OAuth:GrantType client_credentials needs {prefix}:OAuth:ClientId (and a ClientSecret or a PrivateKey).";
                break;
            case UpstreamGrantTypes.ClientCredentials when oauth.ClientSecret is null && oauth.PrivateKey is null && oauth.PrivateKeyFile is null:
                yield return $"{prefix}:OAuth:GrantType client_credentials needs {prefix}:OAuth:ClientSecret or PrivateKey (or PrivateKeyFile).";
                break;
            case UpstreamGrantTypes.JwtBearer when oauth.Assertion is null && oauth.AssertionFile is null:
                yield return $"{prefix}:OAuth:GrantType jwt_bearer needs {prefix}:OAuth:Assertion or AssertionFile (the workload identity JWT).";
                break;
            case UpstreamGrantTypes.IdentityAssertion when string.IsNullOrEmpty(oauth.ClientId):
                yield return $"{prefix}:OAuth:GrantType identity_assertion needs {prefix}:OAuth:ClientId (McpGrains' client at the server's authorization server).";
                break;
            case UpstreamGrantTypes.IdentityAssertion when !options.HostApps.Values.Any(h => h.IdentityProvider is not null):
                yield return $"{prefix}:OAuth:GrantType identity_assertion needs a host app with an IdentityProvider (McpGrains:HostApps:<name>:IdentityProvider:TokenEndpoint).";
                break;
        }
    }

    public static IEnumerable<string> ValidateHostApp(string app, HostAppOptions host, bool insecure)
    {
        if (host.IdentityProvider is not { } idp)
        {
            yield break;
        }

        var prefix = $"McpGrains:HostApps:{app}:IdentityProvider";
        if (!Uri.TryCreate(idp.TokenEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
        {
            yield return $"{prefix}:TokenEndpoint must be an absolute http(s) URL.";
        }
        else if (!insecure && endpoint.Scheme == "http")
        {
            yield return $"{prefix}:TokenEndpoint is http; set McpGrains:Security:AllowInsecureLoopback=true for development.";
        }

        if (string.IsNullOrEmpty(idp.ClientId))
        {
            yield return $"{prefix}:ClientId is required (McpGrains' client id at the identity provider).";
        }

        if (string.IsNullOrEmpty(idp.AssertionHeader) || !idp.AssertionHeader.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            yield return $"{prefix}:AssertionHeader must be a header name (letters, digits and '-').";
        }
    }
}
