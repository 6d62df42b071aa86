using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace McpGrains.Testing;

/// <summary>Loopback ports for processes and settings that need a number before anything listens on it.</summary>
public static class FreePorts
{
    // Below the operating systems' ephemeral ranges (Linux 32768-60999, Windows 49152-65535) and Orleans
    // TestCluster's silo ports (22300-30000). A port the OS picked itself (bind to 0, release) came from the ephemeral
    // range, and an outgoing connection of any test running meanwhile could take it before the silo or child process
    // bound it (Address already in use).
    private const int Lowest = 10000;
    private const int Highest = 22000;

    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>
    /// A port free at the time of asking (nothing bound to it on any address), never handed out before by this
    /// process: for a child process or a silo to listen on, or for a request that must find no server.
    /// </summary>
    public static int Next() => Next(Lowest, Highest);

    /// <summary>
    /// The same from [<paramref name="lowest"/>, <paramref name="highest"/>): for this class's own tests, which must not
    /// occupy the shared range while other test processes start servers on ports they were just handed.
    /// </summary>
    internal static int Next(int lowest, int highest)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(lowest, highest);
            if (HandedOut.TryAdd(port, 0) && IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free port between {lowest} and {highest} after 1000 attempts.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
