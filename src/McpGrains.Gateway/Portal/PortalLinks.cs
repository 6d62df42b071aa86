using System.Buffers.Text;
using System.Security.Cryptography;
using McpGrains.Configuration;
using McpGrains.Security;
using Microsoft.Extensions.Options;
using Orleans;

namespace McpGrains.Gateway.Portal;

/// <summary>Mints connections-page links: a random id recorded by its grain, sealed with the owner and expiry into the link.</summary>
public sealed class PortalLinks(PortalLinkCodec codec, IGrainFactory grains, IOptions<McpGrainsOptions> options, TimeProvider time)
{
    private const int LinkIdBytes = 18;

    /// <summary>A new single-use link to the connections page of <paramref name="userId"/> of host app <paramref name="tenantId"/>.</summary>
    public async Task<(string Url, DateTimeOffset ExpiresAt)> IssueAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var linkId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(LinkIdBytes));
        var expiresAt = time.GetUtcNow() + settings.Authorization.PortalLinkLifetime;
        await grains.GetGrain<IPortalLinkGrain>(linkId).IssueAsync(new PortalLinkIssue(tenantId, userId, expiresAt), cancellationToken);
        return (settings.PortalLink(codec.Protect(new PortalLinkReference(tenantId, userId, linkId, expiresAt))), expiresAt);
    }
}
