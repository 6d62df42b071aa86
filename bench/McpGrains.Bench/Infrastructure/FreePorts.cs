using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace McpGrains.Bench.Infrastructure;

public static class FreePorts
{
    /// <summary>A loopback port free at the time of asking.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until a child process listens on <paramref name="port"/> (30 s at most, or until it exits).</summary>
    public static async Task WaitListeningAsync(int port, ChildProcess process, string name)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException ex)
            {
                throw new InvalidOperationException($"{name} is not listening on port {port}.", ex);
            }
        }
    }
}
