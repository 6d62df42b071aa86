using System.Net;
using System.Net.Sockets;
using Xunit;

namespace McpGrains.Testing.Tests;

public sealed class FreePortsTests
{
    [Fact]
    public void Next_HandsOutDistinctBindablePorts_BelowTheEphemeralRange()
    {
        var ports = Enumerable.Range(0, 50).Select(_ => FreePorts.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 10000, 21999));
        Assert.All(ports.Take(5), port =>
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        });
    }

    [Fact]
    public void Next_NeverHandsOutAPortThatIsListenedOn()
    {
        // Occupy a good part of the range; none of them may come back.
        var listeners = new List<TcpListener>();
        try
        {
            for (var port = 10000; port < 12000; port++)
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                try
                {
                    listener.Start();
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    listener.Dispose();
                }
            }

            var occupied = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToHashSet();
            Assert.All(Enumerable.Range(0, 200).Select(_ => FreePorts.Next()), port => Assert.DoesNotContain(port, occupied));
        }
        finally
        {
            listeners.ForEach(l => l.Dispose());
        }
    }
}
