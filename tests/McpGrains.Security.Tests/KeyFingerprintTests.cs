using System.Security.Cryptography;

namespace McpGrains.Security.Tests;

/// <summary>Key fingerprints tell nodes with the same key under an id from nodes with another one, and reveal no key.</summary>
public sealed class KeyFingerprintTests
{
    private static readonly string KeyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void SameKeyUnderAnId_SameFingerprint_OnEveryNode()
    {
        var node1 = new KeyRing(new Dictionary<string, string> { ["k1"] = KeyA }, "k1");
        var node2 = new KeyRing(new Dictionary<string, string> { ["k1"] = KeyA, ["k2"] = KeyB }, "k2");

        Assert.Equal(node1.Fingerprint("k1"), node2.Fingerprint("k1"));
    }

    [Fact]
    public void AnotherKeyUnderTheId_AnotherFingerprint()
    {
        var node1 = new KeyRing(new Dictionary<string, string> { ["k1"] = KeyA }, "k1");
        var node2 = new KeyRing(new Dictionary<string, string> { ["k1"] = KeyB }, "k1");

        Assert.NotEqual(node1.Fingerprint("k1"), node2.Fingerprint("k1"));
    }

    [Fact]
    public void Fingerprint_IsNeitherTheKeyNorAKeyInUse()
    {
        var ring = new KeyRing(new Dictionary<string, string> { ["k1"] = KeyA }, "k1");

        var fingerprint = Convert.FromBase64String(ring.Fingerprint("k1"));

        Assert.NotEqual(Convert.FromBase64String(KeyA), fingerprint);
        Assert.NotEqual(ring.TryDeriveKey("k1", AesGcmSecretProtector.SecretsPurpose), fingerprint);
        Assert.Throws<ArgumentException>(() => ring.Fingerprint("unknown"));
    }
}
