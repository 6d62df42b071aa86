namespace McpGrains.Security;

/// <summary>
/// The value of a connections-page link, <c>{PublicBaseUrl}/oauth/portal/{link}</c>: the host app, the user and the
/// link's id and expiry, sealed under a key derived for this purpose alone (so a link is never a sign-in ticket or an
/// OAuth state, nor the reverse), so that a forged or altered link is refused before any grain is touched.
/// A secret: never logged.
/// </summary>
public sealed class PortalLinkCodec : SealedFlowCodec
{
    private const char Separator = '/';

    public PortalLinkCodec(KeyRing keyRing)
        : base(keyRing, "mcpgrains/portal-link/v1")
    {
    }

    public string Protect(PortalLinkReference link)
    {
        ArgumentNullException.ThrowIfNull(link);
        var owner = Uri.EscapeDataString(link.TenantId) + Separator + Uri.EscapeDataString(link.UserId);
        return Protect(new AuthorizationState(owner, link.LinkId, link.ExpiresAt));
    }

    /// <summary>Opens a link value. False when it is malformed, forged or altered; expiry is the caller's check.</summary>
    public bool TryUnprotect(string? value, out PortalLinkReference? link)
    {
        link = null;
        if (!TryUnprotect(value, out AuthorizationState? sealedValue) || sealedValue!.SessionKey.Split(Separator) is not [var tenant, var user])
        {
            return false;
        }

        link = new PortalLinkReference(Uri.UnescapeDataString(tenant), Uri.UnescapeDataString(user), sealedValue.FlowId, sealedValue.ExpiresAt);
        return true;
    }
}
