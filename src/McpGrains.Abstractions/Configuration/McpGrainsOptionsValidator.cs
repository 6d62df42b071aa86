using System.Net;
using McpGrains.Security;
using Microsoft.Extensions.Options;

namespace McpGrains.Configuration;

/// <summary>Checks the whole configuration at start-up and names every key that is wrong.</summary>
public sealed class McpGrainsOptionsValidator : IValidateOptions<McpGrainsOptions>
{
    public const int MinimumApiKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, McpGrainsOptions options)
    {
        var failures = new List<string>();
        var insecure = options.Security.AllowInsecureLoopback;

        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var publicBase) || publicBase.Scheme is not ("https" or "http"))
        {
            failures.Add("McpGrains:PublicBaseUrl must be an absolute http(s) URL, e.g. https://mcpgrains.example.com.");
        }
        else if (publicBase.Scheme == "http" && !(insecure && IsLoopback(publicBase)))
        {
            failures.Add("McpGrains:PublicBaseUrl must use https (http is allowed only for a loopback host with McpGrains:Security:AllowInsecureLoopback=true).");
        }
        else if (!string.IsNullOrEmpty(publicBase.Query) || !string.IsNullOrEmpty(publicBase.Fragment))
        {
            failures.Add("McpGrains:PublicBaseUrl must not have a query or fragment.");
        }

        foreach (var (id, server) in options.Servers)
        {
            var prefix = $"McpGrains:Servers:{id}";
            if (!Identifiers.IsValidServerId(id))
            {
                failures.Add($"{prefix}: server ids are 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit.");
            }

            if (!Uri.TryCreate(server.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            {
                failures.Add($"{prefix}:Url must be an absolute http(s) URL.");
            }
            else if (!insecure && (url.Scheme == "http" || IsLoopback(url)))
            {
                failures.Add($"{prefix}:Url '{url.GetLeftPart(UriPartial.Path)}' is http or loopback; set McpGrains:Security:AllowInsecureLoopback=true for development.");
            }
            else if (!string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo))
            {
                failures.Add($"{prefix}:Url must not have a fragment or user info.");
            }

            if (!UpstreamTransports.IsKnown(server.Transport))
            {
                failures.Add($"{prefix}:Transport must be one of auto, streamable-http, sse (was '{server.Transport}').");
            }

            foreach (var (endpointKey, value) in new[] { ("Issuer", server.OAuth.Issuer), ("AuthorizationEndpoint", server.OAuth.AuthorizationEndpoint), ("TokenEndpoint", server.OAuth.TokenEndpoint), ("RevocationEndpoint", server.OAuth.RevocationEndpoint) })
            {
                if (value is null)
                {
                    continue;
                }

                if (!Uri.TryCreate(value, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
                {
                    failures.Add($"{prefix}:OAuth:{endpointKey} must be an absolute http(s) URL.");
                }
                else if (!insecure && (endpoint.Scheme == "http" || IsLoopback(endpoint)))
                {
                    failures.Add($"{prefix}:OAuth:{endpointKey} is http or loopback; set McpGrains:Security:AllowInsecureLoopback=true for development.");
                }
                else if (endpointKey == "Issuer" && (endpoint.Query.Length > 0 || endpoint.Fragment.Length > 0))
                {
                    failures.Add($"{prefix}:OAuth:Issuer must not have a query or fragment: it is the issuer identifier exactly as the authorization server's metadata states it.");
                }
            }

            if (string.IsNullOrEmpty(server.OAuth.ClientId) && !string.IsNullOrEmpty(server.OAuth.ClientSecret))
            {
                failures.Add($"{prefix}:OAuth:ClientSecret is set without {prefix}:OAuth:ClientId.");
            }

            failures.AddRange(EnterpriseGrantsValidator.ValidateServer(prefix, server.OAuth, options));
        }

        if (options.HostApps.Count == 0)
        {
            failures.Add("At least one host app is required: McpGrains:HostApps:<name>:ApiKey.");
        }

        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (app, host) in options.HostApps)
        {
            if (!Identifiers.IsValidTenantId(app))
            {
                failures.Add($"McpGrains:HostApps:{app}: host app names are 1-64 characters of letters, digits, '.', '_' or '-'.");
            }

            if (string.IsNullOrEmpty(host.ApiKey) || host.ApiKey.Length < MinimumApiKeyLength)
            {
                failures.Add($"McpGrains:HostApps:{app}:ApiKey must be at least {MinimumApiKeyLength} characters.");
            }
            else if (!seenKeys.Add(host.ApiKey))
            {
                failures.Add($"McpGrains:HostApps:{app}:ApiKey is the same as another host app's key; each host app needs its own.");
            }

            if (host.DisplayName is { } displayName && !UserLabels.IsValid(displayName))
            {
                failures.Add($"McpGrains:HostApps:{app}:DisplayName must be 1 to {UserLabels.MaxLength} characters without control characters.");
            }

            failures.AddRange(HostAppBindingCheck.Validate(app, host, insecure));
            failures.AddRange(EnterpriseGrantsValidator.ValidateHostApp(app, host, insecure));
        }

        foreach (var entry in options.Security.AllowedReturnUrls)
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                failures.Add($"McpGrains:Security:AllowedReturnUrls entry '{entry}' must be an absolute http(s) URL.");
            }
        }

        foreach (var entry in options.Security.AllowedOrigins)
        {
            if (!Uri.TryCreate(entry, UriKind.Absolute, out var origin) || origin.Scheme is not ("https" or "http") || origin.AbsolutePath != "/" || !string.IsNullOrEmpty(origin.Query))
            {
                failures.Add($"McpGrains:Security:AllowedOrigins entry '{entry}' must be an origin: scheme, host and optional port, e.g. https://chat.example.com.");
            }
        }

        foreach (var entry in options.Security.AllowedPrivateNetworks)
        {
            if (!PrivateNetworkRanges.TryParse(entry, out _, out var problem))
            {
                failures.Add($"McpGrains:Security:AllowedPrivateNetworks entry '{entry}' {problem}.");
            }
        }

        failures.AddRange(KeyRing.Validate(options.Security.Keys, options.Security.ActiveKeyId));

        if (options.Authorization.PendingLifetime <= TimeSpan.Zero || options.Authorization.PendingLifetime > TimeSpan.FromHours(1))
        {
            failures.Add("McpGrains:Authorization:PendingLifetime must be between 00:00:01 and 01:00:00.");
        }

        foreach (var (key, lifetime) in new[] { ("PortalLinkLifetime", options.Authorization.PortalLinkLifetime), ("PortalSessionLifetime", options.Authorization.PortalSessionLifetime) })
        {
            if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromHours(1))
            {
                failures.Add($"McpGrains:Authorization:{key} must be between 00:00:01 and 01:00:00.");
            }
        }

        if (options.Authorization.RefreshSkew < TimeSpan.Zero || options.Authorization.RefreshSkew > TimeSpan.FromHours(1))
        {
            failures.Add("McpGrains:Authorization:RefreshSkew must be between 00:00:00 and 01:00:00.");
        }

        if (options.Authorization.ProactiveRefreshInterval < TimeSpan.FromMinutes(1))
        {
            failures.Add("McpGrains:Authorization:ProactiveRefreshInterval must be at least 00:01:00 (Orleans reminders cannot fire more often).");
        }

        var upstream = options.Upstream;
        if (upstream.IdleTimeout <= TimeSpan.Zero || upstream.ConnectTimeout <= TimeSpan.Zero || upstream.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("McpGrains:Upstream:IdleTimeout, ConnectTimeout and RequestTimeout must be positive.");
        }

        if (upstream.CloseTimeout <= TimeSpan.Zero || upstream.CloseTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add("McpGrains:Upstream:CloseTimeout must be between 00:00:00.001 and 00:01:00 (closing holds the session's other calls).");
        }

        if (upstream.ReconnectBaseDelay < TimeSpan.Zero || upstream.ReconnectMaxDelay < upstream.ReconnectBaseDelay)
        {
            failures.Add("McpGrains:Upstream:ReconnectBaseDelay must be non-negative and not above ReconnectMaxDelay.");
        }

        if (upstream.MaxResponseBytes < 1024)
        {
            failures.Add("McpGrains:Upstream:MaxResponseBytes must be at least 1024 (bytes of one upstream answer).");
        }

        if (upstream.CircuitBreakerThreshold < 1 || upstream.CircuitBreakerDuration < TimeSpan.Zero)
        {
            failures.Add("McpGrains:Upstream:CircuitBreakerThreshold must be at least 1 and CircuitBreakerDuration non-negative.");
        }

        var downstream = options.Downstream;
        if (downstream.SessionIdleTimeout < TimeSpan.FromMinutes(1))
        {
            failures.Add("McpGrains:Downstream:SessionIdleTimeout must be at least 00:01:00.");
        }

        if (downstream.EventBufferSize is < 1 or > 100_000 || downstream.EventBufferLifetime <= TimeSpan.Zero)
        {
            failures.Add("McpGrains:Downstream:EventBufferSize must be between 1 and 100000 and EventBufferLifetime positive.");
        }

        failures.AddRange(options.Limits.Validate());

        foreach (var (key, header) in new[] { ("UserIdHeader", options.UserIdHeader), ("UserLabelHeader", options.UserLabelHeader) })
        {
            if (!IsHeaderName(header))
            {
                failures.Add($"McpGrains:{key} must be a header name (letters, digits and '-').");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static bool IsHeaderName(string? header) =>
        !string.IsNullOrWhiteSpace(header) && header.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
