using System.Net;
using System.Net.Sockets;

namespace McpGrains.Gateway.Tests.Infrastructure;

public static class FreePorts
{
    /// <summary>A loopback port free at the time of asking (the OS picks it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
