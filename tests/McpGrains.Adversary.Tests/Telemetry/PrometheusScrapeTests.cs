using System.Net;
using McpGrains.Testing;
using Microsoft.AspNetCore.Hosting;

namespace McpGrains.Adversary.Tests.Telemetry;

/// <summary>
/// The Prometheus scrape endpoint of a running host: behind its key when enabled, and it serves every metric the
/// dashboard and the alert rules name that a proxied call produces (so the names the operator files use are the names
/// the exporter writes); the manifests' probe paths answer.
/// </summary>
public sealed class PrometheusScrapeTests : IClassFixture<OpenUpstream>
{
    private const string ScrapeKey = "scrape-key-0123456789abcdef";
    private readonly OpenUpstream _upstream;

    public PrometheusScrapeTests(OpenUpstream upstream) => _upstream = upstream;

    [Fact]
    public async Task EnabledScrapeEndpoint_ServesTheMetricsTheOperatorFilesName_OnlyWithTheScrapeKey()
    {
        await using var host = RunningHost.Start(
            settings => settings[$"McpGrains:Servers:{OpenUpstream.ServerId}:Url"] = _upstream.Server.McpUri.ToString(),
            webHost: builder => builder
                .UseSetting("McpGrains:Telemetry:Prometheus:Enabled", "true")
                .UseSetting("McpGrains:Telemetry:Prometheus:ScrapeKey", ScrapeKey));
        var user = RunningHostConnections.NewUser();
        using (var call = await host.CallToolAsync(user, OpenUpstream.ServerId, "echo", new { message = "scrape" }))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        using var scraper = host.Client(ScrapeKey);
        var scrape = await scraper.GetStringAsync("/metrics");
        var exported = scrape.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);

        // What this call produced, under the names the files use (dots to underscores, _total, _seconds, _bucket).
        string[] produced = ["mcpgrains_upstream_calls_total", "mcpgrains_upstream_call_duration_seconds_bucket", "mcpgrains_upstream_connections"];
        var named = InfraFiles.MetricNames(InfraFiles.Dashboard).Union(InfraFiles.MetricNames(InfraFiles.Alerts)).ToHashSet(StringComparer.Ordinal);
        var expected = named.Where(name => !name.StartsWith("mcpgrains_", StringComparison.Ordinal)).Concat(produced).ToList();
        Assert.All(produced, name => Assert.Contains(name, named));
        var missing = expected.Where(name => !exported.Contains(name)).ToList();
        Assert.True(missing.Count == 0, $"not in the scrape: {string.Join(", ", missing)}\nscraped: {string.Join(", ", exported.Order())}");
        Assert.DoesNotContain(user, scrape, StringComparison.Ordinal);

        foreach (var key in new[] { null, RunningHost.HostAKey, ScrapeKey + "x" })
        {
            using var other = host.Client(key);
            using var refused = await other.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
    }

    [Fact]
    public void EnabledWithoutAScrapeKey_StopsTheStart_NamingTheKey()
    {
        var error = Assert.ThrowsAny<Exception>(() => RunningHost.Start(webHost: builder => builder.UseSetting("McpGrains:Telemetry:Prometheus:Enabled", "true")));
        Assert.Contains("McpGrains:Telemetry:Prometheus:ScrapeKey", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeEndpoint_IsOffByDefault()
    {
        await using var host = RunningHost.Start();
        using var client = host.Client(ScrapeKey);
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ProbePathsOfTheManifests_AnswerOnTheHost()
    {
        var paths = InfraFiles.ProbePaths();
        Assert.Equal(["/health/live", "/health/ready"], paths.Order(StringComparer.Ordinal));
        await using var host = RunningHost.Start();
        using var client = host.Client(hostKey: null);
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
