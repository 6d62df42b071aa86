using McpGrains.Testing;

namespace McpGrains.Grains.Tests.Cluster;

/// <summary>
/// The session cluster plus the servers of issue 16: "dpop" (an authorization server that binds tokens to DPoP keys,
/// and an MCP server that accepts a bound token only with a proof of its key), "machine" (client credentials, one token
/// for all users) and "enterprise" (enterprise-managed authorization through host-a's identity provider).
/// </summary>
public sealed class EnterpriseGrantsClusterFixture : SessionClusterFixture
{
    public const string DpopServerId = "dpop";
    public const string MachineServerId = "machine";
    public const string EnterpriseServerId = "enterprise";
    public const string MachineClientId = "mcpgrains-machine";
    public const string MachineClientSecret = "machine-secret-0123456789abcdef";
    public const string EnterpriseClientId = "mcpgrains-enterprise";
    public const string EnterpriseClientSecret = "enterprise-secret-0123456789abc";
    public const string IdpClientId = "mcpgrains-at-idp";

    public TestAuthorizationServer DpopAuthorizationServer { get; private set; } = null!;

    public ProtectedMcpServer DpopServer { get; private set; } = null!;

    public TestAuthorizationServer MachineAuthorizationServer { get; private set; } = null!;

    public ProtectedMcpServer MachineServer { get; private set; } = null!;

    /// <summary>The organization's identity provider (RFC 8693 token exchange of its ID tokens).</summary>
    public TestAuthorizationServer IdentityProvider { get; private set; } = null!;

    public TestAuthorizationServer EnterpriseAuthorizationServer { get; private set; } = null!;

    public ProtectedMcpServer EnterpriseServer { get; private set; } = null!;

    protected override async Task AddServersAsync(Dictionary<string, string?> settings)
    {
        DpopAuthorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions { TimeProvider = Clock, DpopSigningAlgValues = ["ES256"] });
        DpopServer = await ProtectedMcpServer.StartAsync(DpopAuthorizationServer);
        settings[$"McpGrains:Servers:{DpopServerId}:Url"] = DpopServer.McpUri.ToString();

        MachineAuthorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions
        {
            TimeProvider = Clock,
            SupportsDynamicRegistration = false,
            PreRegisteredClients = [new PreRegisteredClient { ClientId = MachineClientId, ClientSecret = MachineClientSecret, RedirectUris = [RedirectUri.ToString()], GrantTypes = ["client_credentials"] }],
        });
        MachineServer = await ProtectedMcpServer.StartAsync(MachineAuthorizationServer);
        settings[$"McpGrains:Servers:{MachineServerId}:Url"] = MachineServer.McpUri.ToString();
        settings[$"McpGrains:Servers:{MachineServerId}:OAuth:GrantType"] = "client_credentials";
        settings[$"McpGrains:Servers:{MachineServerId}:OAuth:ClientId"] = MachineClientId;
        settings[$"McpGrains:Servers:{MachineServerId}:OAuth:ClientSecret"] = MachineClientSecret;

        IdentityProvider = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions
        {
            TimeProvider = Clock,
            SupportsDynamicRegistration = false,
            PreRegisteredClients = [new PreRegisteredClient { ClientId = IdpClientId, RedirectUris = [RedirectUri.ToString()] }],
        });
        EnterpriseAuthorizationServer = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions
        {
            TimeProvider = Clock,
            SupportsDynamicRegistration = false,
            TrustedIdentityProvider = IdentityProvider,
            PreRegisteredClients = [new PreRegisteredClient { ClientId = EnterpriseClientId, ClientSecret = EnterpriseClientSecret, RedirectUris = [RedirectUri.ToString()] }],
        });
        EnterpriseServer = await ProtectedMcpServer.StartAsync(EnterpriseAuthorizationServer);
        settings[$"McpGrains:Servers:{EnterpriseServerId}:Url"] = EnterpriseServer.McpUri.ToString();
        settings[$"McpGrains:Servers:{EnterpriseServerId}:OAuth:GrantType"] = "identity_assertion";
        settings[$"McpGrains:Servers:{EnterpriseServerId}:OAuth:ClientId"] = EnterpriseClientId;
        settings[$"McpGrains:Servers:{EnterpriseServerId}:OAuth:ClientSecret"] = EnterpriseClientSecret;
        settings[$"McpGrains:HostApps:{Tenant}:IdentityProvider:TokenEndpoint"] = IdentityProvider.TokenEndpoint.ToString();
        settings[$"McpGrains:HostApps:{Tenant}:IdentityProvider:ClientId"] = IdpClientId;
    }

    protected override async ValueTask DisposeServersAsync()
    {
        await DpopServer.DisposeAsync();
        await DpopAuthorizationServer.DisposeAsync();
        await MachineServer.DisposeAsync();
        await MachineAuthorizationServer.DisposeAsync();
        await EnterpriseServer.DisposeAsync();
        await EnterpriseAuthorizationServer.DisposeAsync();
        await IdentityProvider.DisposeAsync();
    }
}
