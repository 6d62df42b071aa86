using System.Security.Cryptography;

namespace McpGrains.Security.Tests;

public sealed class AuthorizationStateCodecTests
{
    private static KeyRing NewRing() =>
        new(new Dictionary<string, string> { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, "k1");

    [Fact]
    public void Protect_RoundTripsAndIsUrlSafe()
    {
        var codec = new AuthorizationStateCodec(NewRing());
        var state = new AuthorizationState("host/alice%7Cx/github", "flow-id-123", DateTimeOffset.FromUnixTimeSeconds(1_900_000_000));

        var value = codec.Protect(state);

        Assert.Matches("^[A-Za-z0-9_-]+$", value);
        Assert.DoesNotContain("alice", value, StringComparison.Ordinal);
        Assert.True(codec.TryUnprotect(value, out var opened));
        Assert.Equal(state, opened);
    }

    [Fact]
    public void TryUnprotect_RefusesForgedAlteredTruncatedAndForeignValues()
    {
        var codec = new AuthorizationStateCodec(NewRing());
        var value = codec.Protect(new AuthorizationState("t/u/s", "flow", DateTimeOffset.UtcNow));
        var flipped = value[..^3] + (value[^3] == 'A' ? 'B' : 'A') + value[^2..];

        Assert.False(codec.TryUnprotect(flipped, out _));
        Assert.False(codec.TryUnprotect(value[..^4], out _));
        Assert.False(codec.TryUnprotect("", out _));
        Assert.False(codec.TryUnprotect("!!!not base64!!!", out _));
        Assert.False(codec.TryUnprotect(new string('A', 5000), out _));
        Assert.False(new AuthorizationStateCodec(NewRing()).TryUnprotect(value, out _));
    }

    [Fact]
    public void StateAndSecretKeys_AreDerivedSeparately()
    {
        var ring = NewRing();
        var secret = new AesGcmSecretProtector(ring).Protect("t/u/s|flow", "state");

        // A secret sealed for storage is not a valid state, even with the same master key and context.
        Assert.False(new AuthorizationStateCodec(ring).TryUnprotect(System.Buffers.Text.Base64Url.EncodeToString(secret), out _));
    }

    [Fact]
    public void ToString_LeavesTheFlowIdOut()
    {
        var state = new AuthorizationState("t/u/s", "secret-flow-id", DateTimeOffset.UtcNow);

        Assert.DoesNotContain("secret-flow-id", state.ToString(), StringComparison.Ordinal);
    }
}
