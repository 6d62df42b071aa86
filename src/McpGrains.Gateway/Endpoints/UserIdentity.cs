using System.Diagnostics.CodeAnalysis;
using McpGrains.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace McpGrains.Gateway.Endpoints;

/// <summary>
/// The identity a host app in binding mode oidc names for its user (an e-mail address): the value the organization's
/// OpenID Connect sign-in must show before the user may continue a sign-in link. Read from the host app's identity
/// header (<c>McpGrains:HostApps:&lt;name&gt;:Oidc:IdentityHeader</c>) on <c>/mcp</c> and the REST tool endpoints, and
/// from <c>identity</c> in the authorize body. Required in that mode, since a flow could never be continued without
/// it; ignored (null) in the other modes.
/// </summary>
internal static class UserIdentity
{
    public const string BodyField = "identity";

    public static bool TryReadHeader(HttpRequest request, McpGrainsOptions options, string tenantId, out string? identity, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        identity = null;
        problem = null;
        if (OidcOptions(options, tenantId) is not { } oidc)
        {
            return true;
        }

        var values = request.Headers[oidc.IdentityHeader];
        return TryNormalize(values.Count == 1 ? values[0] : null, $"the '{oidc.IdentityHeader}' header (once)", out identity, out problem);
    }

    public static bool TryReadBody(string? value, McpGrainsOptions options, string tenantId, out string? identity, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        identity = null;
        problem = null;
        return OidcOptions(options, tenantId) is null || TryNormalize(value, $"\"{BodyField}\" of the body", out identity, out problem);
    }

    private static HostAppOidcOptions? OidcOptions(McpGrainsOptions options, string tenantId) =>
        options.HostApps.GetValueOrDefault(tenantId) is { Binding: SignInBindingModes.Oidc } hostApp ? hostApp.Oidc : null;

    /// <summary>A label-like value that is not an unresolved placeholder (which would name no one, or everyone).</summary>
    private static bool TryNormalize(string? value, string source, out string? identity, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        if (UserLabels.TryNormalize(value, out identity) && identity is not null)
        {
            problem = null;
            return true;
        }

        identity = null;
        problem = GatewayProblems.IdentityRequired(source);
        return false;
    }
}
