using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.Authentication;

/// <summary>
/// The host app (tenant) that presented a valid key. Bind it as an endpoint parameter on routes that require
/// <see cref="HostAppAuthentication.PolicyName"/>.
/// </summary>
public sealed record HostApp(string TenantId)
{
    /// <summary>The claim carrying the tenant id on the authenticated principal.</summary>
    public const string TenantClaimType = "mcpgrains:tenant";

    public static HostApp? FromPrincipal(ClaimsPrincipal principal)
    {
        var tenant = principal.FindFirst(TenantClaimType)?.Value;
        return Identifiers.IsValidTenantId(tenant) ? new HostApp(tenant!) : null;
    }

    /// <summary>Minimal API binder. Throws when the route was mapped without the host app policy: that is a bug.</summary>
    public static ValueTask<HostApp?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<HostApp?>(FromPrincipal(context.User)
            ?? throw new InvalidOperationException($"No authenticated host app: map '{parameter.Member.Name}' inside a group that requires the host app policy."));
}
