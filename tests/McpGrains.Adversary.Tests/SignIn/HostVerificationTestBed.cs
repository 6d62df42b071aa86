using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.SignIn;

/// <summary>
/// The sign-in bed with both host apps in binding mode host-verification, each with its verification page on one
/// <see cref="FakeHostApp"/>, which confirms flows for whoever is signed in to it in the browser that arrives.
/// </summary>
public sealed class HostVerificationTestBed : SignInTestBed
{
    public FakeHostApp HostApps { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        HostApps = await FakeHostApp.StartAsync();
        await base.InitializeAsync();
        HostApps.McpGrains = Host.BaseAddress;
    }

    protected override void Configure(Dictionary<string, string?> settings)
    {
        LogEverything(settings);
        foreach (var (hostApp, key) in new[] { (RunningHost.HostA, RunningHost.HostAKey), (RunningHost.HostB, RunningHost.HostBKey) })
        {
            settings[$"McpGrains:HostApps:{hostApp}:Binding"] = "host-verification";
            settings[$"McpGrains:HostApps:{hostApp}:VerificationUrl"] = HostApps.AddHostApp(hostApp, key).ToString();
        }
    }

    /// <summary>Signs <paramref name="user"/> in to the fake host app in that user's browser.</summary>
    public async Task SignInToHostAppAsync(TestBrowser browser, string hostApp, string user)
    {
        using var response = await browser.GetAsync(HostApps.LoginUrl(hostApp, user), user);
        response.EnsureSuccessStatusCode();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await HostApps.DisposeAsync();
    }
}
