using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace McpGrains.Bench.Infrastructure;

/// <summary>Waits for a child process's listening socket (ports come from <see cref="McpGrains.Testing.FreePorts"/>).</summary>
public static class Listening
{
    /// <summary>Waits until a child process listens on <paramref name="port"/> (30 s at most, or until it exits).</summary>
    public static async Task WaitAsync(int port, ChildProcess process, string name)
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
