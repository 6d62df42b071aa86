namespace McpGrains.Grains.Tests.Cluster;

/// <summary>
/// The session cluster with a second host app, <see cref="Tenant"/>, in binding mode host-verification, and one in
/// binding mode oidc, <see cref="OidcTenant"/>. A fixture of its own: its tests move the shared fake clock past the
/// verification timeout.
/// </summary>
public sealed class HostVerificationClusterFixture : SessionClusterFixture
{
    public new const string Tenant = "host-v";
    public const string OidcTenant = "host-o";
    public const string VerificationUrl = "https://chat.example.com/mcpgrains/verify";
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings[$"McpGrains:HostApps:{Tenant}:ApiKey"] = "host-v-key-0123456789abcdef";
        settings[$"McpGrains:HostApps:{Tenant}:Binding"] = "host-verification";
        settings[$"McpGrains:HostApps:{Tenant}:VerificationUrl"] = VerificationUrl;
        settings[$"McpGrains:HostApps:{Tenant}:VerificationTimeout"] = Timeout.ToString();
        settings[$"McpGrains:HostApps:{OidcTenant}:ApiKey"] = "host-o-key-0123456789abcdef";
        settings[$"McpGrains:HostApps:{OidcTenant}:Binding"] = "oidc";
        settings[$"McpGrains:HostApps:{OidcTenant}:Oidc:Authority"] = "https://login.example.com";
        settings[$"McpGrains:HostApps:{OidcTenant}:Oidc:ClientId"] = "mcpgrains";
    }
}
