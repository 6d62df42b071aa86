using System.Security.Cryptography;

namespace McpGrains.Security.Tests;

public sealed class SignInTicketCodecTests
{
    private static KeyRing NewRing() =>
        new(new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, "k1");

    [Fact]
    public void Ticket_RoundTrips_ButIsNeverAStateNorAStateATicket()
    {
        var ring = NewRing();
        var tickets = new SignInTicketCodec(ring);
        var states = new AuthorizationStateCodec(ring);
        var flow = new AuthorizationState("host-a/alice/github", "AAECAwQFBgcICQoLDA0ODw", DateTimeOffset.FromUnixTimeSeconds(1_900_000_000));

        var ticket = tickets.Protect(flow);
        var state = states.Protect(flow);

        Assert.Matches("^[A-Za-z0-9_-]+$", ticket);
        Assert.DoesNotContain("alice", ticket, StringComparison.Ordinal);
        Assert.True(ticket.Length <= 140, $"the ticket is {ticket.Length} characters");
        Assert.True(tickets.TryUnprotect(ticket, out var opened));
        Assert.Equal(flow, opened);
        Assert.False(states.TryUnprotect(ticket, out _));
        Assert.False(tickets.TryUnprotect(state, out _));
    }
}
