using McpGrains.Grains.Tests.Cluster;

namespace McpGrains.Grains.Tests;

/// <summary>
/// The connections-page link grain in a 2-silo cluster on a fake clock: a link opens once, for the user it was issued
/// for, before it expires; its page then works for the opening browser alone until the page session ends.
/// </summary>
public sealed class PortalLinkGrainTests(SessionClusterFixture cluster) : IClassFixture<SessionClusterFixture>
{
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(15);

    private async Task<(IPortalLinkGrain Link, string User)> IssueAsync()
    {
        var user = "user-" + Guid.NewGuid().ToString("N");
        var link = cluster.Grains.GetGrain<IPortalLinkGrain>(Guid.NewGuid().ToString("N"));
        await link.IssueAsync(new PortalLinkIssue(SessionClusterFixture.Tenant, user, cluster.Clock.GetUtcNow() + LinkLifetime));
        return (link, user);
    }

    [Fact]
    public async Task Open_Once_BindsThePageToThatBrowser()
    {
        var (link, user) = await IssueAsync();

        var opened = await link.OpenAsync(new PortalLinkOpen(SessionClusterFixture.Tenant, user, "browser-a"));
        var again = await link.OpenAsync(new PortalLinkOpen(SessionClusterFixture.Tenant, user, "browser-b"));

        Assert.Equal(PortalOutcome.Ready, opened.Outcome);
        Assert.Equal((SessionClusterFixture.Tenant, user), (opened.TenantId, opened.UserId));
        Assert.Equal(cluster.Clock.GetUtcNow() + SessionLifetime, opened.ExpiresAt);
        Assert.Equal(PortalOutcome.Used, again.Outcome);
        Assert.Null(again.UserId);
        Assert.Equal(PortalOutcome.Used, (await link.ResumeAsync("browser-b")).Outcome);
        Assert.Equal(user, (await link.ResumeAsync("browser-a")).UserId);
    }

    [Fact]
    public async Task Open_ForAnotherUser_IsRefusedAndLeavesTheLinkToItsOwner()
    {
        var (link, user) = await IssueAsync();

        var other = await link.OpenAsync(new PortalLinkOpen(SessionClusterFixture.Tenant, "someone-else", "browser-b"));
        var otherHostApp = await link.OpenAsync(new PortalLinkOpen("host-b", user, "browser-b"));
        var owner = await link.OpenAsync(new PortalLinkOpen(SessionClusterFixture.Tenant, user, "browser-a"));

        Assert.Equal(PortalOutcome.Unknown, other.Outcome);
        Assert.Equal(PortalOutcome.Unknown, otherHostApp.Outcome);
        Assert.Equal(PortalOutcome.Ready, owner.Outcome);
    }

    [Fact]
    public async Task Open_AfterTheLinkExpired_IsRefused()
    {
        var (link, user) = await IssueAsync();
        cluster.Clock.Advance(LinkLifetime);

        var opened = await link.OpenAsync(new PortalLinkOpen(SessionClusterFixture.Tenant, user, "browser-a"));

        Assert.Equal(PortalOutcome.Expired, opened.Outcome);
        Assert.Equal(PortalOutcome.Used, (await link.ResumeAsync("browser-a")).Outcome);
    }

    [Fact]
    public async Task Resume_AfterThePageSessionEnded_IsRefused()
    {
        var (link, user) = await IssueAsync();
        await link.OpenAsync(new PortalLinkOpen(SessionClusterFixture.Tenant, user, "browser-a"));
        cluster.Clock.Advance(SessionLifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(PortalOutcome.Ready, (await link.ResumeAsync("browser-a")).Outcome);

        cluster.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(PortalOutcome.Expired, (await link.ResumeAsync("browser-a")).Outcome);

        // Neither the link nor its page can work again: the grain has forgotten it.
        Assert.Equal(PortalOutcome.Unknown, (await link.OpenAsync(new PortalLinkOpen(SessionClusterFixture.Tenant, user, "browser-a"))).Outcome);
    }
}
