using System.Globalization;
using McpGrains.Cluster.Tests.Harness;

namespace McpGrains.Cluster.Tests;

/// <summary>
/// A node given another master key under a key id the cluster already uses refuses to start and names the id (it would
/// otherwise fail on every stored secret, as an empty 500); the running nodes are not affected.
/// </summary>
public sealed class KeyMismatchTests
{
    private const string KeyId = "mismatch-k1";

    [Fact]
    public async Task SiloOrFrontEndWithAnotherKeyUnderTheSameId_RefusesToStart_NamingTheKeyId()
    {
        await using var cluster = await ClusterHarness.CreateAsync(new ClusterHarnessOptions { Silos = 2, FrontEnds = 2, InitialKeyId = KeyId });
        await cluster.StartSiloAsync(1);
        await cluster.StartFrontEndAsync(1);
        await cluster.BeginAuthorizationAsync("mismatch-user", frontEnd: 1);
        var anotherKey = new Dictionary<string, string> { [$"McpGrains__Security__Keys__{KeyId}"] = ClusterHarness.NewKey() };

        var silo = await RefusedStartAsync(cluster.LaunchSilo(2, anotherKey));
        var frontEnd = await RefusedStartAsync(cluster.LaunchFrontEnd(2, anotherKey));

        foreach (var output in new[] { silo, frontEnd })
        {
            var expected = $"McpGrains:Security:Keys:{KeyId} is not the key this cluster has used under the id '{KeyId}'";
            Assert.True(output.Contains(expected, StringComparison.Ordinal), $"The refusal does not name the key.\n{output}");
            Assert.DoesNotContain(anotherKey.Values.Single(), output, StringComparison.Ordinal);
            Assert.DoesNotContain(cluster.Keys[KeyId], output, StringComparison.Ordinal);
        }

        Assert.Equal("authorization_pending", await cluster.GetStatusAsync("mismatch-user", frontEnd: 1));
        await cluster.StartSiloAsync(2);
        await cluster.StartFrontEndAsync(2);
        Assert.Equal("authorization_pending", await cluster.GetStatusAsync("mismatch-user", frontEnd: 2));
    }

    /// <summary>Waits until the process exits on its own (it must not become ready); returns its output.</summary>
    private static async Task<string> RefusedStartAsync(HostProcess process)
    {
        var started = false;
        try
        {
            await process.WaitUntilReadyAsync(ClusterHarness.StartTimeout);
            started = true;
        }
        catch (InvalidOperationException) when (process.HasExited)
        {
            // Exited before it was ready: what the test expects.
        }

        Assert.False(started, $"{process.Name} started with another key under '{KeyId}'.\n{process.Tail()}");
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exitCode != 0, $"{process.Name} exited with {exitCode.ToString(CultureInfo.InvariantCulture)}.\n{process.Tail()}");
        return process.Output;
    }
}
