using System.Security.Cryptography;
using System.Text;
using McpGrains.Configuration;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.Authentication;

/// <summary>
/// The configured host app keys, held only as SHA-256 digests. A presented key is hashed and compared with every digest
/// in constant time, so neither the comparison nor the position of the match leaks through timing.
/// </summary>
public sealed class HostAppKeys
{
    private readonly (string TenantId, byte[] Digest)[] _entries;

    public HostAppKeys(IOptions<McpGrainsOptions> options)
    {
        _entries = options.Value.HostApps
            .Where(pair => !string.IsNullOrEmpty(pair.Value.ApiKey))
            .Select(pair => (pair.Key, Hash(pair.Value.ApiKey!)))
            .ToArray();
    }

    public bool TryMatch(string presentedKey, out string? tenantId)
    {
        tenantId = null;
        var digest = Hash(presentedKey);
        foreach (var (tenant, expected) in _entries)
        {
            // No early exit: every entry is compared whatever the outcome.
            if (CryptographicOperations.FixedTimeEquals(digest, expected))
            {
                tenantId = tenant;
            }
        }

        return tenantId is not null;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
