namespace McpGrains.OAuth;

/// <summary>What kind of destination an IP address is, for the SSRF policy.</summary>
public enum AddressCategory
{
    Public,
    Loopback,
    Private,
    LinkLocal,
    UniqueLocal,
    Unspecified,
    Multicast,
    Broadcast,
    Reserved,

    /// <summary>A cloud provider's instance metadata or host service address outside link-local (never allowed).</summary>
    Metadata,
}
