using System.Text;
using McpGrains.Cluster.Tests.Harness;
using Xunit.Abstractions;

namespace McpGrains.Cluster.Tests;

/// <summary>A database dump (a stolen backup) reveals no token, refresh token, client secret or PKCE verifier.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class SecretsAtRestTests
{
    private readonly ClusterHarness _cluster;
    private readonly ITestOutputHelper _output;

    public SecretsAtRestTests(SharedClusterFixture fixture, ITestOutputHelper output)
    {
        _cluster = fixture.Cluster;
        _output = output;
    }

    [Fact]
    public async Task PgDump_AfterAFullFlowARefreshAndAPendingFlow_ContainsNoSecretInAnyEncoding()
    {
        var connected = "dump-" + Guid.NewGuid().ToString("N")[..10];
        var pending = "dump-pending-" + Guid.NewGuid().ToString("N")[..10];
        await _cluster.ConnectAsync(connected, authorizeVia: 1, callbackVia: 2);
        await _cluster.AssertEchoWorksAsync(connected, frontEnd: 1);
        var refreshes = _cluster.AuthorizationServer.RefreshRequestCount;
        _cluster.AuthorizationServer.ExpireAllAccessTokens();
        await _cluster.AssertEchoWorksAsync(connected, frontEnd: 2);
        Assert.True(_cluster.AuthorizationServer.RefreshRequestCount > refreshes, "the tool call after expiry did not refresh");
        // A flow left pending at dump time: its PKCE verifier is in storage then. Completed after the dump, so that
        // the authorization server has received (and lists) that verifier.
        var pendingUrl = await _cluster.BeginAuthorizationAsync(pending, frontEnd: 2);

        var dump = await PgDump.DataOnlyAsync(_cluster.ConnectionString);

        using (var callback = await _cluster.CompleteAuthorizationAsync(pendingUrl, pending, frontEnd: 1))
        {
            Assert.True(callback.IsSuccessStatusCode, $"callback answered {(int)callback.StatusCode}");
        }

        var secrets = _cluster.AuthorizationServer.AllIssuedSecrets;
        var clientSecrets = _cluster.AuthorizationServer.RegisteredClients.Select(c => c.ClientSecret).OfType<string>().ToList();
        _output.WriteLine($"dump: {dump.Length} chars; {secrets.Count} issued secrets checked; {clientSecrets.Count} client secret(s) issued by DCR");
        // The dump shows grain state (bytea) in hex: the same search finds the non-secret client id stored in the
        // server grain's state, so a secret stored in the clear would be found too.
        var clientId = Assert.Single(_cluster.AuthorizationServer.RegisteredClients).ClientId;
        Assert.Contains(Hex(clientId), dump, StringComparison.Ordinal);
        Assert.Contains(connected, dump, StringComparison.Ordinal);
        Assert.NotEmpty(secrets);
        foreach (var secret in secrets.Concat(clientSecrets).Distinct())
        {
            Assert.False(dump.Contains(secret, StringComparison.Ordinal), "the dump contains a secret in plain text");
            Assert.False(dump.Contains(Hex(secret), StringComparison.Ordinal), "the dump contains a secret as hex (bytea)");
            Assert.False(dump.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), StringComparison.Ordinal), "the dump contains a secret as base64");
        }
    }

    private static string Hex(string value) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(value));
}
