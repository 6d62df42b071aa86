using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// A progress notification reaches only the session whose request it belongs to, and only through that session's own
/// upstream: another user (of the same host app or another) whose upstream emits it with the victim's progress token
/// reaches nobody (issue 10, finding 3). Progress an upstream sends before its answer reaches the client before the
/// answer. The attacker reads its response off the wire: an SDK client handles the messages of one read concurrently
/// and may drop a progress notification it handles after the answer that followed it.
/// </summary>
public sealed class ProgressInjectionTests : IAsyncLifetime
{
    private const string ServerId = "progress";
    private ProgressInjectionServer _upstream = null!;
    private RunningHost _host = null!;

    public async Task InitializeAsync()
    {
        _upstream = await ProgressInjectionServer.StartAsync();
        _host = RunningHost.Start(settings => settings[$"McpGrains:Servers:{ServerId}:Url"] = _upstream.McpUri.ToString());
    }

    [Theory]
    [InlineData(RunningHost.HostAKey)]
    [InlineData(RunningHost.HostBKey)]
    public async Task ProgressWithAnotherUsersToken_FromTheAttackersUpstream_ReachesNoOne(string attackerHostKey)
    {
        await using var victim = await ConnectAsync(RunningHost.HostAKey, RunningHostConnections.NewUser());
        using var attacker = _host.Client(attackerHostKey);
        var attackerUser = RunningHostConnections.NewUser();
        var attackerSession = await McpWire.OpenSessionAsync(attacker, ServerId, attackerUser);
        var victimProgress = new ProgressLog();
        var key = Guid.NewGuid().ToString("N");

        var victimCall = victim.CallToolAsync("wait", new Dictionary<string, object?> { ["key"] = key }, victimProgress).AsTask();
        var victimToken = await _upstream.TokenOfAsync(key);
        // The attacker reads its response as sent: its upstream reports the victim's token (99), then its own (1), then
        // answers at once.
        using var injected = await attacker.SendAsync(McpWire.Post(ServerId, attackerUser, InjectCall(victimToken), attackerSession));
        var attackerMessages = await McpWire.ReadMessagesAsync(injected);
        _upstream.Release(key);
        await victimProgress.WaitForAsync(2);
        _upstream.Finish(key);
        var result = await victimCall;

        Assert.Equal("done", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal([1f, 2f], victimProgress.Values);

        // The attacker's own progress went the same way as the injected one, after it, and reached the attacker before
        // the answer that followed it upstream; the injected one reached nobody.
        Assert.Collection(
            attackerMessages,
            progress =>
            {
                Assert.Equal("notifications/progress", progress.GetProperty("method").GetString());
                Assert.Equal(AttackerToken, progress.GetProperty("params").GetProperty("progressToken").GetString());
                Assert.Equal(1, progress.GetProperty("params").GetProperty("progress").GetDouble());
            },
            answer => Assert.Equal("injected", answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private const string AttackerToken = "attacker-progress";

    private static string InjectCall(string victimToken) => JsonSerializer.Serialize(new
    {
        jsonrpc = "2.0",
        id = 7,
        method = "tools/call",
        @params = new { name = "inject", arguments = new { token = victimToken }, _meta = new { progressToken = AttackerToken } },
    });

    private async Task<McpClient> ConnectAsync(string hostKey, string userId)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(_host.BaseAddress, "/mcp/" + ServerId),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + hostKey, ["X-User-Id"] = userId },
        });
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
    }

    /// <summary>The progress values one call received, in order.</summary>
    private sealed class ProgressLog : IProgress<ProgressNotificationValue>
    {
        private readonly Lock _sync = new();
        private readonly List<float> _values = [];
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

        public IReadOnlyList<float> Values
        {
            get
            {
                lock (_sync)
                {
                    return [.. _values];
                }
            }
        }

        public void Report(ProgressNotificationValue value)
        {
            lock (_sync)
            {
                _values.Add(value.Progress);
                foreach (var waiter in _waiters.Where(w => _values.Count >= w.Count))
                {
                    waiter.Reached.TrySetResult();
                }
            }
        }

        public Task WaitForAsync(int count)
        {
            lock (_sync)
            {
                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_values.Count >= count)
                {
                    reached.TrySetResult();
                }

                _waiters.Add((count, reached));
                return reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
    }
}
