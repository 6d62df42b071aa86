using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using McpGrains.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGrains.Adversary.Tests.SignIn;

/// <summary>
/// Issue 10, strong binding mode host-verification, against a running host over real HTTP: after the callback the
/// tokens wait for the host app, which confirms the flow for the user signed in to it in the browser that arrives. A
/// link finished by someone else (either direction, across host apps) ends at a host app that names someone else, or
/// nobody: the tokens are discarded and revoked, or never bound.
/// </summary>
public sealed class HostVerificationTests : IClassFixture<HostVerificationTestBed>
{
    private readonly HostVerificationTestBed _bed;

    public HostVerificationTests(HostVerificationTestBed bed)
    {
        _bed = bed;
    }

    /// <summary>
    /// <paramref name="finisher"/>'s browser presses Continue on <paramref name="link"/>, signs in at the provider as
    /// themself and lands on the callback; returns the browser's next stop (the host app's verification URL).
    /// </summary>
    private async Task<Uri> FinishAsync(TestBrowser browser, string link, string finisher)
    {
        using var callback = await browser.CompleteSignInAsync(link, _bed.CallbackPrefix, finisher);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        return callback.Headers.Location!;
    }

    /// <summary>The browser follows the redirect to the host app's verification page; its status and McpGrains' answer.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> VerifyAsync(TestBrowser browser, Uri verification, string user)
    {
        using var response = await browser.GetAsync(verification, user);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string FlowId(Uri verification) => QueryHelpers.ParseQuery(verification.Query)["mcpgrains_flow"].ToString();

    private async Task<HttpResponseMessage> ConfirmAsync(string flowId, string userId, string hostKey)
    {
        using var client = _bed.Host.Client(hostKey);
        return await client.PostAsJsonAsync($"/api/v1/authorizations/{Uri.EscapeDataString(flowId)}/confirm", new { userId });
    }

    [Fact]
    public async Task LegitimateFlow_TheHostAppConfirmsItsSignedInUser_AndOnlyThenTheAccountIsConnected()
    {
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        await _bed.SignInToHostAppAsync(browser, RunningHost.HostA, alice);
        var link = await _bed.AuthorizeAsync(alice, returnUrl: SignInTestBed.ReturnBase + "done");

        var verification = await FinishAsync(browser, link, alice);
        var pending = await _bed.ConnectionAsync(alice);
        var beforeConfirmation = await _bed.WhoAmIAsync(alice);
        var (status, body) = await VerifyAsync(browser, verification, alice);

        Assert.Equal(_bed.HostApps.VerificationUrl(RunningHost.HostA).GetLeftPart(UriPartial.Path), verification.GetLeftPart(UriPartial.Path));
        Assert.Equal("authorization_pending", pending.GetProperty("status").GetString());
        Assert.Null(beforeConfirmation);
        Assert.Equal(HttpStatusCode.OK, status);
        var answer = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal("connected", answer.GetProperty("status").GetString());
        Assert.Equal(SignInTestBed.ServerId, answer.GetProperty("serverId").GetString());
        Assert.Equal(SignInTestBed.ReturnBase + "done", answer.GetProperty("returnUrl").GetString());
        Assert.Equal(alice, await _bed.WhoAmIAsync(alice));
        Assert.Empty(SignInSecretLoggingTests.Leaks(_bed.Host, [FlowId(verification), .. _bed.AuthorizationServer.AllIssuedSecrets]));
    }

    [Fact]
    public async Task Forward_TheRequestersLinkFinishedByTheVictim_IsConfirmedForTheVictim_AndDiscardedAndRevoked()
    {
        var mallory = SignInTestBed.NewUser("mallory");
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        await _bed.SignInToHostAppAsync(browser, RunningHost.HostA, alice);
        var link = await _bed.AuthorizeAsync(mallory);
        var revocations = _bed.AuthorizationServer.RevocationCount;

        // Alice ignores the confirmation page and finishes Mallory's link with her own account.
        var verification = await FinishAsync(browser, link, alice);
        var (status, body) = await VerifyAsync(browser, verification, alice);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("verification_user_mismatch", body, StringComparison.Ordinal);
        Assert.Null(await _bed.WhoAmIAsync(mallory));
        Assert.Equal(revocations + 2, _bed.AuthorizationServer.RevocationCount);
        Assert.Equal("verification_user_mismatch", (await _bed.ConnectionAsync(mallory)).GetProperty("lastError").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Reverse_TheVictimsLinkFinishedByTheAttacker_IsConfirmedForTheAttacker_AndDiscardedAndRevoked()
    {
        var alice = SignInTestBed.NewUser("alice");
        var mallory = SignInTestBed.NewUser("mallory");
        using var browser = new TestBrowser();
        await _bed.SignInToHostAppAsync(browser, RunningHost.HostA, mallory);
        var link = await _bed.AuthorizeAsync(alice);
        var revocations = _bed.AuthorizationServer.RevocationCount;

        // Alice's link leaks before she presses Continue; Mallory finishes it with her own account.
        var verification = await FinishAsync(browser, link, mallory);
        var (status, _) = await VerifyAsync(browser, verification, mallory);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Null(await _bed.WhoAmIAsync(alice));
        Assert.Equal(revocations + 2, _bed.AuthorizationServer.RevocationCount);
    }

    [Fact]
    public async Task AcrossHostApps_AHostBLinkFinishedByAHostAUser_IsNeverBound()
    {
        var mallory = SignInTestBed.NewUser("mallory");
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        await _bed.SignInToHostAppAsync(browser, RunningHost.HostA, alice);
        var link = await _bed.AuthorizeAsync(mallory, RunningHost.HostBKey);

        var verification = await FinishAsync(browser, link, alice);
        var (status, _) = await VerifyAsync(browser, verification, alice);
        // Alice's own host app, handed the flow id, cannot confirm another host app's flow.
        using var foreign = await ConfirmAsync(FlowId(verification), alice, RunningHost.HostAKey);

        Assert.Equal(_bed.HostApps.VerificationUrl(RunningHost.HostB).GetLeftPart(UriPartial.Path), verification.GetLeftPart(UriPartial.Path));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Null(await _bed.WhoAmIAsync(mallory, RunningHost.HostBKey));
        Assert.Null(await _bed.WhoAmIAsync(alice, RunningHost.HostAKey));
        Assert.Equal("authorization_pending", (await _bed.ConnectionAsync(mallory, RunningHost.HostBKey)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task ConfirmByAnotherHostApp_IsNotFound_AndChangesNothing()
    {
        var bob = SignInTestBed.NewUser("bob");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(bob, RunningHost.HostBKey);
        var verification = await FinishAsync(browser, link, bob);
        var revocations = _bed.AuthorizationServer.RevocationCount;

        using var sameUser = await ConfirmAsync(FlowId(verification), bob, RunningHost.HostAKey);
        using var otherUser = await ConfirmAsync(FlowId(verification), "mallory", RunningHost.HostAKey);
        using var own = await ConfirmAsync(FlowId(verification), bob, RunningHost.HostBKey);

        Assert.Equal(HttpStatusCode.NotFound, sameUser.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherUser.StatusCode);
        Assert.Equal("verification_not_found", (await otherUser.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(revocations, _bed.AuthorizationServer.RevocationCount);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(bob, await _bed.WhoAmIAsync(bob, RunningHost.HostBKey));
    }

    [Fact]
    public async Task ReplayedConfirm_ChangesNothing()
    {
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        await _bed.SignInToHostAppAsync(browser, RunningHost.HostA, alice);
        var link = await _bed.AuthorizeAsync(alice);
        var verification = await FinishAsync(browser, link, alice);
        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(browser, verification, alice)).Status);
        var revocations = _bed.AuthorizationServer.RevocationCount;

        using var replay = await ConfirmAsync(FlowId(verification), alice, RunningHost.HostAKey);
        using var hostile = await ConfirmAsync(FlowId(verification), "mallory", RunningHost.HostAKey);
        using var forged = await ConfirmAsync(FlowId(verification)[..^2] + "AA", alice, RunningHost.HostAKey);

        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hostile.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal(revocations, _bed.AuthorizationServer.RevocationCount);
        Assert.Equal(alice, await _bed.WhoAmIAsync(alice));
    }

    [Fact]
    public async Task Confirm_WithoutAUserId_IsABadRequest_AndChangesNothing()
    {
        var alice = SignInTestBed.NewUser("alice");
        using var browser = new TestBrowser();
        var link = await _bed.AuthorizeAsync(alice);
        var verification = await FinishAsync(browser, link, alice);

        using var client = _bed.Host.Client(RunningHost.HostAKey);
        using var empty = await client.PostAsJsonAsync($"/api/v1/authorizations/{Uri.EscapeDataString(FlowId(verification))}/confirm", new { });
        using var placeholder = await ConfirmAsync(FlowId(verification), "{{LIBRECHAT_USER_ID}}", RunningHost.HostAKey);
        using var own = await ConfirmAsync(FlowId(verification), alice, RunningHost.HostAKey);

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, placeholder.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }
}
