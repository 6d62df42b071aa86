namespace McpGrains.Configuration;

/// <summary>Checks a host app's binding mode and the settings the mode needs, naming every key that is wrong.</summary>
internal static class HostAppBindingCheck
{
    public static readonly TimeSpan MinimumVerificationTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaximumVerificationTimeout = TimeSpan.FromHours(1);

    public static IEnumerable<string> Validate(string app, HostAppOptions host, bool insecure)
    {
        var prefix = $"McpGrains:HostApps:{app}";
        if (!SignInBindingModes.IsImplemented(host.Binding))
        {
            yield return $"{prefix}:Binding must be one of {string.Join(", ", SignInBindingModes.Implemented)} (was '{host.Binding}').";
            yield break;
        }

        if (host.Binding == SignInBindingModes.Oidc)
        {
            var oidc = host.Oidc;
            if (CheckUrl(oidc.Authority, insecure, $"{prefix}:Oidc:Authority") is { } authority)
            {
                yield return authority;
            }

            if (string.IsNullOrWhiteSpace(oidc.ClientId))
            {
                yield return $"{prefix}:Oidc:ClientId is required with Binding=oidc.";
            }

            if (string.IsNullOrWhiteSpace(oidc.Claim))
            {
                yield return $"{prefix}:Oidc:Claim must name the id_token claim to compare (e.g. email).";
            }

            if (!McpGrainsOptionsValidator.IsHeaderName(oidc.IdentityHeader))
            {
                yield return $"{prefix}:Oidc:IdentityHeader must be a header name (letters, digits and '-').";
            }

            if (!oidc.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("openid", StringComparer.Ordinal))
            {
                yield return $"{prefix}:Oidc:Scopes must include openid.";
            }
        }
        else if (host.Binding == SignInBindingModes.HostVerification)
        {
            if (CheckUrl(host.VerificationUrl, insecure, $"{prefix}:VerificationUrl") is { } url)
            {
                yield return url;
            }

            if (host.VerificationTimeout < MinimumVerificationTimeout || host.VerificationTimeout > MaximumVerificationTimeout)
            {
                yield return $"{prefix}:VerificationTimeout must be between 00:00:30 and 01:00:00.";
            }
        }
    }

    private static string? CheckUrl(string? value, bool insecure, string key)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return $"{key} must be an absolute http(s) URL.";
        }

        if (url.Scheme == "http" && !insecure)
        {
            return $"{key} must use https (http only in development, with McpGrains:Security:AllowInsecureLoopback=true).";
        }

        return url.Fragment.Length > 0 || url.UserInfo.Length > 0 ? $"{key} must not have a fragment or user info." : null;
    }
}
