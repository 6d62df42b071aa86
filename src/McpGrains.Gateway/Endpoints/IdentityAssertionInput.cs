using McpGrains.Configuration;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.Endpoints;

/// <summary>
/// The user's identity assertion (an ID token) a host app passes for enterprise-managed authorization: the configured
/// header on <c>/mcp</c>, the <c>identityAssertion</c> field on REST authorize. An unfilled template placeholder
/// (<c>{{LIBRECHAT_OPENID_ID_TOKEN}}</c>), an empty value or an oversized one counts as none: the grain then answers as
/// for a missing assertion. The value is a secret: never logged or echoed.
/// </summary>
internal static class IdentityAssertionInput
{
    /// <summary>Larger than any ID token a provider issues; a bound on what is held in memory per session.</summary>
    public const int MaxLength = 16 * 1024;

    public static string? Normalize(string? value) =>
        string.IsNullOrWhiteSpace(value) || value.Length > MaxLength || UserIdPlaceholder.IsUnresolved(value) ? null : value.Trim();

    /// <summary>The assertion header of the host app's identity provider, when it has one and the request carries it once.</summary>
    public static string? ReadHeader(HttpRequest request, McpGrainsOptions options, string tenantId) =>
        options.HostApps.GetValueOrDefault(tenantId)?.IdentityProvider is { } idp
        && request.Headers[idp.AssertionHeader] is { Count: 1 } values
            ? Normalize(values[0])
            : null;
}
