using System.Text.Json;
using McpGrains.Gateway.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>Upstream notifications and server-to-client requests reach the downstream sessions through the grain's observer.</summary>
public sealed class UpstreamEventRelayTests : IAsyncLifetime
{
    private const string ServerId = "eventful";
    private EventfulMcpServer _upstream = null!;
    private McpGrainsHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _upstream = await EventfulMcpServer.StartAsync();
        _host = new McpGrainsHostFactory(settings =>
        {
            settings["McpGrains:PublicBaseUrl"] = McpEndpointFixture.PublicBaseUrl;
            settings["McpGrains:Security:AllowInsecureLoopback"] = "true";
            settings[$"McpGrains:Servers:{ServerId}:Url"] = _upstream.McpUri.ToString();
        });
        _ = _host.Server;
    }

    [Fact]
    public async Task Progress_ReachesOnlyTheSessionThatAskedForIt()
    {
        var user = McpEndpointFixture.NewUser();
        await using var asker = await ConnectAsync(user);
        await using var bystander = await ConnectAsync(user);
        await using var bystanderProgress = new NotificationProbe(bystander, NotificationMethods.ProgressNotification);
        var progress = new ProgressRecorder(expected: 2);

        var call = asker.CallToolAsync("progress", progress: progress).AsTask();
        var values = await progress.Completed.WaitAsync(NotificationProbe.Timeout);
        _upstream.ProgressSeen.TrySetResult();
        var result = await call;

        Assert.Equal("done", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal([1f, 2f], values.Select(v => v.Progress).Order());
        Assert.False(bystanderProgress.HasFired);
    }

    [Fact]
    public async Task ListChanged_ReachesEverySessionOfTheUser()
    {
        var user = McpEndpointFixture.NewUser();
        await using var first = await ConnectAsync(user);
        await using var second = await ConnectAsync(user);
        await first.ListToolsAsync();
        await second.ListToolsAsync();
        await using var firstChanged = new NotificationProbe(first, NotificationMethods.ToolListChangedNotification);
        await using var secondChanged = new NotificationProbe(second, NotificationMethods.ToolListChangedNotification);

        await first.CallToolAsync("announce");

        await firstChanged.WaitAsync();
        await secondChanged.WaitAsync();
    }

    [Fact]
    public async Task ListChanged_MakesTheUpstreamClientListTheToolsAgain_WithoutAnyClientAsking()
    {
        await using var client = await ConnectAsync(McpEndpointFixture.NewUser());
        await client.ListToolsAsync();
        var listed = _upstream.ToolListCount;

        // The SDK mirrors tool arguments into Mcp-Param-* headers only for tools it knows (and warns on every other
        // call): the upstream client keeps its tool list current by itself.
        await client.CallToolAsync("announce");

        await _upstream.ToolListsReceived(listed + 1).WaitAsync(NotificationProbe.Timeout);
    }

    [Fact]
    public async Task UpstreamElicitation_IsAnsweredByAClientThatDeclaredIt()
    {
        var user = McpEndpointFixture.NewUser();
        var options = new McpClientOptions
        {
            Capabilities = new ClientCapabilities { Elicitation = new ElicitationCapability { Form = new FormElicitationCapability() } },
            Handlers = new McpClientHandlers
            {
                ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, JsonElement> { ["name"] = JsonSerializer.SerializeToElement("Ada") },
                }),
            },
        };
        await using var client = await ConnectAsync(user, options);
        await client.ListToolsAsync();

        var result = await client.CallToolAsync("ask");

        Assert.Equal("Ada", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task UpstreamWithoutPromptsOrResources_ListsNone()
    {
        await using var client = await ConnectAsync(McpEndpointFixture.NewUser());

        Assert.Empty(await client.ListPromptsAsync());
        Assert.Empty(await client.ListResourcesAsync());
        Assert.Equal(3, (await client.ListToolsAsync()).Count);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<McpClient> ConnectAsync(string user, McpClientOptions? options = null)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(_host.Server.BaseAddress, "/mcp/" + ServerId),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + McpEndpointFixture.HostKey, ["X-User-Id"] = user },
            },
            _host.CreateDefaultClient(),
            ownsHttpClient: true);
        options ??= new McpClientOptions();
        options.ProtocolVersion = "2025-11-25";
        return await McpClient.CreateAsync(transport, options);
    }

    private sealed class ProgressRecorder(int expected) : IProgress<ProgressNotificationValue>
    {
        private readonly Lock _sync = new();
        private readonly List<ProgressNotificationValue> _values = [];
        private readonly TaskCompletionSource<IReadOnlyList<ProgressNotificationValue>> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<IReadOnlyList<ProgressNotificationValue>> Completed => _completed.Task;

        public void Report(ProgressNotificationValue value)
        {
            lock (_sync)
            {
                _values.Add(value);
                if (_values.Count == expected)
                {
                    _completed.TrySetResult([.. _values]);
                }
            }
        }
    }
}
