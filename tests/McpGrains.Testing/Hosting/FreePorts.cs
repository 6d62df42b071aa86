using System.Net;
using System.Net.Sockets;

namespace McpGrains.Testing;

/// <summary>Loopback ports for processes and settings that need a number before anything listens on it.</summary>
public static class FreePorts
{
    /// <summary>
    /// A loopback port free at the time of asking (the OS picks it; bound and released): for a child process or a silo
    /// to listen on, or for a request that must find no server.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
