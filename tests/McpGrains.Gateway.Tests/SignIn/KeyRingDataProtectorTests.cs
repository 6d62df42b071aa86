using System.Security.Cryptography;
using System.Text;
using McpGrains.Gateway.Security;
using McpGrains.Security;

namespace McpGrains.Gateway.Tests.SignIn;

public sealed class KeyRingDataProtectorTests
{
    private static KeyRing Ring(string key) => new(new Dictionary<string, string> { ["k1"] = key }, "k1");

    [Fact]
    public void AnotherNodeWithTheSameKeys_Opens_ButNotUnderAnotherPurposeOrOtherKeys()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var nodeA = new KeyRingDataProtector(Ring(key)).CreateProtector("antiforgery").CreateProtector("v1");
        var nodeB = new KeyRingDataProtector(Ring(key)).CreateProtector("antiforgery").CreateProtector("v1");
        var otherPurpose = new KeyRingDataProtector(Ring(key)).CreateProtector("antiforgeryv1");
        var otherKeys = new KeyRingDataProtector(Ring(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))).CreateProtector("antiforgery").CreateProtector("v1");

        var sealedValue = nodeA.Protect(Encoding.UTF8.GetBytes("token"));

        Assert.Equal("token", Encoding.UTF8.GetString(nodeB.Unprotect(sealedValue)));
        Assert.ThrowsAny<CryptographicException>(() => otherPurpose.Unprotect(sealedValue));
        Assert.ThrowsAny<CryptographicException>(() => otherKeys.Unprotect(sealedValue));
        Assert.DoesNotContain("token", Encoding.UTF8.GetString(sealedValue), StringComparison.Ordinal);
    }
}
