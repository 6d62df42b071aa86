using System.Net;
using System.Net.Sockets;

namespace McpGrains.Testing;

/// <summary>
/// A loopback TCP proxy in front of a server, that a test can take down (every open connection is cut, new ones are
/// accepted and closed at once), turn into a black hole (every connection, open or new, is kept and read, and nothing
/// is forwarded either way: a peer that accepts and never answers) and bring back, counting the connections attempted
/// while it was down.
/// </summary>
public sealed class ToggleableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _open = [];
    private readonly Lock _lock = new();
    private readonly Task _acceptLoop;
    private volatile bool _down;
    private volatile bool _blackHole;
    private TaskCompletionSource _swallowed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _acceptedWhileDown;
    private int _accepted;

    private ToggleableTcpProxy(IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted (and closed at once) while the proxy was down.</summary>
    public int ConnectionsWhileDown => Volatile.Read(ref _acceptedWhileDown);

    public int Connections => Volatile.Read(ref _accepted);

    /// <summary>A URL on the proxy with the path and query of <paramref name="targetUrl"/>.</summary>
    public Uri Rewrite(Uri targetUrl) => new UriBuilder(targetUrl) { Host = "127.0.0.1", Port = Port }.Uri;

    public static ToggleableTcpProxy Start(Uri target) =>
        new(new IPEndPoint(IPAddress.Loopback, target.Port));

    /// <summary>Cuts every open connection; connections made from now on are closed at once.</summary>
    public void TakeDown()
    {
        _down = true;
        lock (_lock)
        {
            foreach (var client in _open)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
            }

            _open.Clear();
        }
    }

    /// <summary>Completes once a client sent something into the current black hole (a request that will never be answered).</summary>
    public Task Swallowed => Volatile.Read(ref _swallowed).Task;

    /// <summary>From now on nothing is forwarded on any connection, open or new; what clients send is read and dropped.</summary>
    public void BlackHole()
    {
        Volatile.Write(ref _swallowed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _blackHole = true;
    }

    /// <summary>Ends a take-down or a black hole: new connections are forwarded again.</summary>
    public void BringUp()
    {
        _down = false;
        _blackHole = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        TakeDown();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            if (_down)
            {
                Interlocked.Increment(ref _acceptedWhileDown);
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            _ = _blackHole ? SwallowAsync(client) : PumpAsync(client);
        }
    }

    /// <summary>A connection made to the black hole: read until the client gives up, never answer.</summary>
    private async Task SwallowAsync(TcpClient client)
    {
        lock (_lock)
        {
            _open.Add(client);
        }

        try
        {
            var buffer = new byte[16 * 1024];
            var stream = client.GetStream();
            while (await stream.ReadAsync(buffer, _stopping.Token) > 0)
            {
                Volatile.Read(ref _swallowed).TrySetResult();
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Cut by the client, a take-down or disposal.
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(client);
            }

            client.Dispose();
        }
    }

    /// <summary>Copies one direction of a connection, dropping what arrives while the proxy is a black hole.</summary>
    private async Task ForwardAsync(NetworkStream from, NetworkStream to, bool fromClient, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (!_blackHole)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            else if (fromClient)
            {
                Volatile.Read(ref _swallowed).TrySetResult();
            }
        }
    }

    private async Task PumpAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_target, _stopping.Token);
            lock (_lock)
            {
                _open.Add(client);
                _open.Add(upstream);
            }

            using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var up = ForwardAsync(client.GetStream(), upstream.GetStream(), fromClient: true, cut.Token);
            var down = ForwardAsync(upstream.GetStream(), client.GetStream(), fromClient: false, cut.Token);
            await Task.WhenAny(up, down);
            await cut.CancelAsync();
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A cut connection: nothing to do but close both ends.
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(client);
                _open.Remove(upstream);
            }

            client.Dispose();
            upstream.Dispose();
        }
    }
}
