using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.SignIn;

/// <summary>
/// The sign-in bed with both host apps in binding mode oidc against one organization OpenID Connect provider (the
/// project's test authorization server acting as one: a browser signs in there as its user, with e-mail address
/// user@example.com), each host app its own client, and the identity header <c>X-User-Email</c>.
/// </summary>
public sealed class OidcSignInTestBed : SignInTestBed
{
    public const string ClientSecret = "organization-client-secret-0123456789";

    /// <summary>The organization's provider (not the MCP server's authorization server).</summary>
    public TestAuthorizationServer Organization { get; private set; } = null!;

    public static string EmailOf(string user) => user + "@example.com";

    public override async Task InitializeAsync()
    {
        Organization = await TestAuthorizationServer.StartAsync(new TestAuthorizationServerOptions
        {
            OpenIdProvider = true,
            SupportsDynamicRegistration = false,
            ScopesSupported = ["openid", "email"],
        });
        await base.InitializeAsync();
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        LogEverything(settings);
        var publicBaseUrl = settings["McpGrains:PublicBaseUrl"]!;
        foreach (var hostApp in new[] { RunningHost.HostA, RunningHost.HostB })
        {
            var clientId = "mcpgrains-" + hostApp;
            Organization.AddPreRegisteredClient(new PreRegisteredClient
            {
                ClientId = clientId,
                ClientSecret = ClientSecret,
                RedirectUris = [$"{publicBaseUrl}/oauth/oidc/{hostApp}"],
                GrantTypes = ["authorization_code"],
                // What ASP.NET Core's OpenID Connect handler sends.
                TokenEndpointAuthMethod = "client_secret_post",
            });
            settings[$"McpGrains:HostApps:{hostApp}:Binding"] = "oidc";
            settings[$"McpGrains:HostApps:{hostApp}:Oidc:Authority"] = Organization.Issuer;
            settings[$"McpGrains:HostApps:{hostApp}:Oidc:ClientId"] = clientId;
            settings[$"McpGrains:HostApps:{hostApp}:Oidc:ClientSecret"] = ClientSecret;
        }
    }

    protected override void AddUserHeaders(HttpClient client, string user) => client.DefaultRequestHeaders.Add("X-User-Email", EmailOf(user));

    /// <summary>
    /// <paramref name="user"/>'s browser opens the sign-in link: it is sent to the organization's provider, signs in
    /// there as itself and comes back to the link, whose page (confirmation, or refusal) it returns.
    /// </summary>
    public async Task<SignInPage> OpenWithOrganizationSignInAsync(TestBrowser browser, string link, string user)
    {
        var back = await browser.FollowToAsync(link, new Uri(link), user);
        Assert.Equal(link, back.ToString());
        return await browser.OpenAsync(link, user);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Organization.DisposeAsync();
    }
}
