using System.Net;
using System.Net.Sockets;

namespace McpGrains.OAuth.Tests.Infrastructure;

/// <summary>A loopback port nothing listens on (bound and released), for requests that must find no server.</summary>
public static class UnusedPort
{
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
