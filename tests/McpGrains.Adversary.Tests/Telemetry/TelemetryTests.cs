using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using McpGrains.Telemetry;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.Telemetry;

/// <summary>
/// A full authorization, a refresh and proxied calls against a running host with in-memory exporters: McpGrains'
/// metrics count them, one trace runs from the front end through the grain to the upstream server, and nothing
/// exported holds a token, code, state, sign-in ticket or the user id.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task AuthorizationRefreshAndProxiedCall_AreCountedAndTraced_WithoutSecrets()
    {
        // A server id of its own: other tests' hosts in this process publish on meters of the same name.
        var serverId = "otel" + Guid.NewGuid().ToString("N")[..8];
        var user = RunningHostConnections.NewUser();
        var capture = new TelemetryCapture();
        await using var authorization = await TestAuthorizationServer.StartAsync();
        await using var upstream = await ProtectedMcpServer.StartAsync(authorization);
        await using var host = RunningHost.Start(
            settings => settings[$"McpGrains:Servers:{serverId}:Url"] = upstream.McpUri.ToString(),
            webHost: builder =>
            {
                capture.AddTo(builder);
                // The test's own exporter, not OTLP: grain calls carry the trace context only when asked.
                builder.UseSetting("McpGrains:Telemetry:GrainCallTracing", "true");
            });

        // Authorization: authorize, the browser through the sign-in link and the authorization server, the callback.
        using var api = host.Client();
        using var authorize = await api.PostAsync($"/api/v1/users/{user}/connections/{serverId}/authorize", content: null);
        var signInLink = (await authorize.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorizationUrl").GetString()!;
        using var browser = new TestBrowser();
        using (var landing = await browser.CompleteSignInAsync(signInLink, new Uri(host.BaseAddress, "/oauth/callback")))
        {
            Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        }

        // A proxied call; then the upstream refuses the access token, and the next call refreshes and retries.
        await CallEchoAsync(host, user, serverId, "first");
        authorization.ExpireAllAccessTokens();
        var refreshedCall = await CallEchoAsync(host, user, serverId, "after refresh");
        Assert.Equal(1, authorization.RefreshRequestCount);
        capture.Flush(host.Services);

        var server = (McpGrainsTelemetry.ServerTag, serverId);
        Assert.Equal(1, capture.Sum(McpGrainsMetrics.AuthorizationsStarted, server));
        Assert.Equal(1, capture.Sum(McpGrainsMetrics.AuthorizationsCompleted, server));
        Assert.Equal(0, capture.Sum(McpGrainsMetrics.AuthorizationsFailed, server));
        Assert.Equal(1, capture.Sum(McpGrainsMetrics.Callbacks, server, (McpGrainsTelemetry.OutcomeTag, "connected")));
        Assert.Equal(1, capture.Sum(McpGrainsMetrics.Refreshes, server, (McpGrainsTelemetry.OutcomeTag, "success")));
        Assert.Equal(1, capture.HistogramCount(McpGrainsMetrics.RefreshDuration, server));
        Assert.Equal(1, capture.Sum(McpGrainsMetrics.RefreshTokenRotations, server));
        Assert.Equal(2, capture.Sum(McpGrainsMetrics.UpstreamCalls, server, (McpGrainsTelemetry.OutcomeTag, "success")));
        Assert.Equal(2, capture.HistogramCount(McpGrainsMetrics.UpstreamCallDuration, server));
        Assert.True(capture.Sum(McpGrainsMetrics.UpstreamConnections, server) >= 1, "no live upstream connection was counted");
        Assert.Equal(0, capture.Sum(McpGrainsMetrics.ReauthorizationsRequired, server));

        // One trace: the front end's request, the grain call, the upstream MCP span, its HTTP request, the upstream
        // server's own span (the test's processes share the listeners), and the refresh's token request.
        var spans = capture.SpansSnapshot();
        var mcpSpan = Assert.Single(spans, span => span.Source.Name == McpGrainsTelemetry.ActivitySourceName
            && span.GetTagItem(McpGrainsTelemetry.ServerTag) as string == serverId
            && span.TraceId == refreshedCall);
        var trace = spans.Where(span => span.TraceId == mcpSpan.TraceId).ToList();
        var describe = string.Join('\n', trace.Select(span => $"{span.Source.Name}: {span.DisplayName} ({span.Kind}) {string.Join(", ", span.TagObjects.Select(tag => tag.Key + "=" + tag.Value))}"));
        Assert.True(trace.Any(span => span.Kind == ActivityKind.Server && (span.GetTagItem("http.route") as string ?? "").EndsWith("/tools/{toolName}", StringComparison.Ordinal)), describe);
        Assert.True(trace.Any(span => span.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && span.DisplayName.Contains("IMcpSessionGrain/SendAsync", StringComparison.Ordinal)), describe);
        Assert.True(trace.Any(span => span.DisplayName == "oauth token" && span.GetTagItem(McpGrainsTelemetry.OAuthGrantTypeTag) as string == "refresh_token"), describe);
        Assert.True(trace.Any(span => span.Kind == ActivityKind.Client && span.Source.Name == "System.Net.Http" && IsDescendant(span, mcpSpan, trace)), describe);
        Assert.True(trace.Any(span => span.Kind == ActivityKind.Server && (span.GetTagItem("server.port") as int?) == upstream.McpUri.Port), describe);

        // Nothing exported carries a secret of the flow or the user id.
        var secrets = authorization.AllIssuedSecrets
            .Concat(browser.VisitedUris.SelectMany(QueryValues))
            .Append(new Uri(signInLink).Segments[^1])
            .Append(user)
            .Where(secret => secret.Length >= 8)
            .Distinct()
            .ToList();
        Assert.NotEmpty(authorization.AllIssuedSecrets);
        Assert.True(browser.VisitedUris.SelectMany(QueryValues).Count() >= 2, "the browser's state and code values were not seen");
        var leaks = capture.ExportedTexts().Where(text => secrets.Any(secret => text.Contains(secret, StringComparison.Ordinal))).Distinct().ToList();
        Assert.True(leaks.Count == 0, "exported: " + string.Join('\n', leaks));
    }

    /// <summary>Calls the echo tool over REST; the trace id of the host's server span that served it.</summary>
    private static async Task<ActivityTraceId> CallEchoAsync(RunningHost host, string user, string serverId, string message)
    {
        using var activity = new Activity("test call").SetIdFormat(ActivityIdFormat.W3C).Start();
        using var response = await host.CallToolAsync(user, serverId, "echo", new { message });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return activity.TraceId;
    }

    private static bool IsDescendant(Activity span, Activity ancestor, List<Activity> trace)
    {
        for (var parent = span.ParentSpanId; parent != default;)
        {
            if (parent == ancestor.SpanId)
            {
                return true;
            }

            parent = trace.FirstOrDefault(candidate => candidate.SpanId == parent)?.ParentSpanId ?? default;
        }

        return false;
    }

    /// <summary>The <c>state</c> and <c>code</c> values a URL carries (the authorize request's and the callback's).</summary>
    private static IEnumerable<string> QueryValues(Uri uri)
    {
        var query = HttpUtility.ParseQueryString(uri.Query);
        return new[] { query["state"], query["code"] }.OfType<string>();
    }
}
