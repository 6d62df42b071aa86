using System.Security.Cryptography;
using System.Text;

namespace McpGrains.Security.Tests;

public sealed class SecretProtectionTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static KeyRing Ring(params (string Id, string Key)[] keys) =>
        new(keys.ToDictionary(k => k.Id, k => k.Key), keys[^1].Id);

    [Fact]
    public void Protect_RoundTripsAndHidesThePlaintext()
    {
        var protector = new AesGcmSecretProtector(Ring(("k1", NewKey())));

        var sealedValue = protector.Protect("refresh-token-value", "session:a/b/c:refresh_token");

        Assert.DoesNotContain("refresh-token-value", Encoding.UTF8.GetString(sealedValue), StringComparison.Ordinal);
        Assert.Equal("refresh-token-value", protector.Unprotect(sealedValue, "session:a/b/c:refresh_token"));
        Assert.Equal("k1", protector.GetKeyId(sealedValue));
    }

    [Fact]
    public void Protect_UsesAFreshNonceEachTime()
    {
        var protector = new AesGcmSecretProtector(Ring(("k1", NewKey())));

        Assert.NotEqual(protector.Protect("same", "ctx"), protector.Protect("same", "ctx"));
    }

    [Fact]
    public void Unprotect_InAnotherContext_Fails()
    {
        var protector = new AesGcmSecretProtector(Ring(("k1", NewKey())));
        var sealedValue = protector.Protect("token", "session:alice:access_token");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedValue, "session:bob:access_token"));
    }

    [Fact]
    public void Unprotect_Altered_Fails()
    {
        var protector = new AesGcmSecretProtector(Ring(("k1", NewKey())));
        var sealedValue = protector.Protect("token", "ctx");
        sealedValue[^1] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedValue, "ctx"));
    }

    [Fact]
    public void RotatedKeyRing_ReadsOldValuesAndWritesWithTheNewKey()
    {
        var oldKey = NewKey();
        var before = new AesGcmSecretProtector(Ring(("k1", oldKey)));
        var sealedBefore = before.Protect("old", "ctx");

        var after = new AesGcmSecretProtector(Ring(("k1", oldKey), ("k2", NewKey())));

        Assert.Equal("old", after.Unprotect(sealedBefore, "ctx"));
        Assert.Equal("k2", after.GetKeyId(after.Protect("new", "ctx")));
    }

    [Fact]
    public void Unprotect_WithTheKeyRemoved_FailsClearly()
    {
        var sealedValue = new AesGcmSecretProtector(Ring(("k1", NewKey()))).Protect("x", "ctx");

        var ex = Assert.ThrowsAny<CryptographicException>(() => new AesGcmSecretProtector(Ring(("k2", NewKey()))).Unprotect(sealedValue, "ctx"));
        Assert.Contains("'k1'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "k1", "No encryption keys")]
    [InlineData("k1=short", "k1", "exactly 32 bytes")]
    [InlineData("k1=VALID", "k2", "not one of the configured keys")]
    [InlineData("bad id!=VALID", "bad id!", "Key id")]
    public void Validate_NamesTheProblem(string keys, string active, string expected)
    {
        var dictionary = keys.Length == 0
            ? new Dictionary<string, string>()
            : keys.Split(',').Select(k => k.Split('=')).ToDictionary(p => p[0], p => p[1] == "VALID" ? NewKey() : p[1]);

        var problems = KeyRing.Validate(dictionary, active);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }
}
