using System.Net;
using System.Text;
using McpGrains.Cluster.Tests.Harness;
using Xunit.Abstractions;

namespace McpGrains.Cluster.Tests;

/// <summary>
/// Master key rotation across a restart, and per-connection data keys destroyed on disconnect. A wrapped data key
/// starts with the key ring's header: version 1, key-id length, key-id ASCII; the test finds that header in the raw
/// state rows.
/// </summary>
public sealed class KeyRotationTests
{
    private const string OldKeyId = "rotation-old";
    private const string NewKeyId = "rotation-new";

    private readonly ITestOutputHelper _output;

    public KeyRotationTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public async Task Rotation_OldSessionsKeepWorking_NewWritesUseTheNewKey_DisconnectDestroysTheDataKey()
    {
        await using var cluster = await ClusterHarness.CreateAsync(new ClusterHarnessOptions { Silos = 1, FrontEnds = 1, InitialKeyId = OldKeyId });
        await cluster.StartAsync();
        const string before = "rotation-before";
        const string after = "rotation-after";
        await cluster.ConnectAsync(before);
        await cluster.AssertEchoWorksAsync(before, frontEnd: 1);
        var beforeKeyRow = Assert.Single(DataKeyRows(await GrainStateRow.ReadAllAsync(cluster.ConnectionString), before));
        Assert.True(beforeKeyRow.PayloadContains(Header(OldKeyId)), $"the data key of {before} is not wrapped under {OldKeyId}");

        await cluster.StopAsync();
        cluster.Keys[NewKeyId] = ClusterHarness.NewKey();
        cluster.ActiveKeyId = NewKeyId;
        await cluster.StartAsync();

        // The connection made under the old key still works (its data key is re-wrapped on activation).
        Assert.Equal("connected", await cluster.GetStatusAsync(before, frontEnd: 1));
        await cluster.AssertEchoWorksAsync(before, frontEnd: 1);
        await cluster.ConnectAsync(after);
        await cluster.AssertEchoWorksAsync(after, frontEnd: 1);
        var rows = await GrainStateRow.ReadAllAsync(cluster.ConnectionString);
        _output.WriteLine("state rows after the rotation:\n  " + string.Join("\n  ", rows));
        var afterKeyRow = Assert.Single(DataKeyRows(rows, after));
        Assert.True(afterKeyRow.PayloadContains(Header(NewKeyId)), $"the new connection's data key is not wrapped under {NewKeyId}");
        Assert.False(afterKeyRow.PayloadContains(Header(OldKeyId)), $"the new connection's data key is wrapped under {OldKeyId}");
        var rewrapped = Assert.Single(DataKeyRows(rows, before));
        Assert.True(rewrapped.PayloadContains(Header(NewKeyId)), $"the old connection's data key was not re-wrapped under {NewKeyId}");
        Assert.False(rewrapped.PayloadContains(Header(OldKeyId)), $"the old connection's data key is still wrapped under {OldKeyId}");

        // State that holds key-ring ciphertext directly (the server grain's DCR client secret) is re-encrypted by the
        // host's reencrypt command, which walks every grain holding secrets through the running cluster.
        Assert.True(rows.Single(row => row.GrainType == "server").PayloadContains(Header(OldKeyId)), "the client secret should still be under the old key");
        var (exitCode, output) = await cluster.RunCommandAsync("reencrypt");
        _output.WriteLine(output);
        Assert.True(exitCode == 0, output);
        Assert.Contains("re-encrypted under the active key", output, StringComparison.Ordinal);
        rows = await GrainStateRow.ReadAllAsync(cluster.ConnectionString);
        var server = rows.Single(row => row.GrainType == "server");
        Assert.False(server.PayloadContains(Header(OldKeyId)), $"the client secret is still under {OldKeyId} after reencrypt");
        Assert.True(server.PayloadContains(Header(NewKeyId)), $"the client secret is not under {NewKeyId} after reencrypt");
        Assert.DoesNotContain(rows, row => row.PayloadContains(Header(OldKeyId)));

        using (var disconnect = await cluster.SendAsync(HttpMethod.Delete, 1, $"/api/v1/users/{before}/connections/{ClusterHarness.ServerId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, disconnect.StatusCode);
        }

        // The data key row is deleted (storage "mcpgrains-keys" deletes on clear): whatever ciphertext of that
        // connection survives in a backup or an old row has no key any more.
        rows = await GrainStateRow.ReadAllAsync(cluster.ConnectionString);
        Assert.Empty(DataKeyRows(rows, before));
        Assert.Single(DataKeyRows(rows, after));
        Assert.Equal("not_connected", await cluster.GetStatusAsync(before, frontEnd: 1));
        using var call = await cluster.CallEchoAsync(before, "after disconnect", frontEnd: 1);
        Assert.NotEqual(HttpStatusCode.OK, call.StatusCode);
        _output.WriteLine(string.Join("\n", cluster.Events));
    }

    private static byte[] Header(string keyId) => [1, (byte)keyId.Length, .. Encoding.ASCII.GetBytes(keyId)];

    // The session grain keeps its data key in its own state ("data-key") beside its session state.
    private static IEnumerable<GrainStateRow> DataKeyRows(IEnumerable<GrainStateRow> rows, string user) =>
        rows.Where(row => row.GrainType.Contains("data-key", StringComparison.OrdinalIgnoreCase)
            && row.GrainIdExtension?.Contains(user, StringComparison.Ordinal) == true
            && row.Payload is not null);
}
