using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGrains.Adversary.Tests;

/// <summary>
/// A progress notification reaches only the session whose request it belongs to, and only through that session's own
/// upstream: another user (of the same host app or another) whose upstream emits it with the victim's progress token
/// reaches nobody (issue 10, finding 3).
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
        await using var attacker = await ConnectAsync(attackerHostKey, RunningHostConnections.NewUser());
        var victimProgress = new ProgressLog();
        var attackerProgress = new ProgressLog();
        var key = Guid.NewGuid().ToString("N");

        var victimCall = victim.CallToolAsync("wait", new Dictionary<string, object?> { ["key"] = key }, victimProgress).AsTask();
        var victimToken = await _upstream.TokenOfAsync(key);
        await attacker.CallToolAsync("inject", new Dictionary<string, object?> { ["token"] = victimToken }, attackerProgress);

        // The attacker's own progress went the same way as the injected one, after it.
        await attackerProgress.WaitForAsync(1);
        _upstream.Release(key);
        await victimProgress.WaitForAsync(2);
        _upstream.Finish(key);
        var result = await victimCall;

        Assert.Equal("done", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal([1f, 2f], victimProgress.Values);
        Assert.Equal([1f], attackerProgress.Values);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

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
