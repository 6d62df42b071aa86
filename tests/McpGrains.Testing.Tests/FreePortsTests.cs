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
        // A range of its own, below the shared one: occupying the shared range here once made another test process's
        // PostgreSQL server, starting meanwhile on a port it had just been handed, fail to bind.
        const int lowest = 9000;
        const int highest = 9400;
        var listeners = new List<TcpListener>();
        try
        {
            for (var port = lowest; port < lowest + 300; port++)
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
            Assert.True(occupied.Count > 200, $"only {occupied.Count} of 300 ports could be occupied");
            var handedOut = Enumerable.Range(0, 50).Select(_ => FreePorts.Next(lowest, highest)).ToList();
            Assert.All(handedOut, port => Assert.InRange(port, lowest, highest - 1));
            Assert.All(handedOut, port => Assert.DoesNotContain(port, occupied));
        }
        finally
        {
            listeners.ForEach(l => l.Dispose());
        }
    }
}
