using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGrains.Gateway.Tests.Mcp;

/// <summary>Completes when the client receives the first notification of one method.</summary>
public sealed class NotificationProbe : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly TaskCompletionSource<JsonRpcNotification> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IAsyncDisposable _registration;

    public NotificationProbe(McpClient client, string method)
    {
        Method = method;
        _registration = client.RegisterNotificationHandler(method, (notification, _) =>
        {
            _received.TrySetResult(notification);
            return ValueTask.CompletedTask;
        });
    }

    public string Method { get; }

    public bool HasFired => _received.Task.IsCompleted;

    public async Task<JsonRpcNotification> WaitAsync()
    {
        try
        {
            return await _received.Task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No {Method} notification within {Timeout.TotalSeconds:F0} s.");
        }
    }

    public ValueTask DisposeAsync() => _registration.DisposeAsync();
}
