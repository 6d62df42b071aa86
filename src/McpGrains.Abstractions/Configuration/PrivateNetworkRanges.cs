using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace McpGrains.Configuration;

/// <summary>
/// Reads the entries of <c>McpGrains:Security:AllowedPrivateNetworks</c>: CIDRs such as <c>10.0.0.0/8</c> or
/// <c>fd00::/8</c>. An entry that reaches into loopback, link-local, unspecified, multicast or broadcast space is refused:
/// those addresses are never upstreams, and a list that names them is a mistake worth stopping for.
/// </summary>
public static class PrivateNetworkRanges
{
    private static readonly IPNetwork[] NeverAllowed =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>One entry, or why it is not one (a sentence that can follow the entry's name).</summary>
    public static bool TryParse(string? entry, out IPNetwork network, [NotNullWhen(false)] out string? problem)
    {
        network = default;
        var text = entry?.Trim() ?? "";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(text[..slash], out var address) || !IPNetwork.TryParse(text, out network))
        {
            problem = "is not a CIDR network such as 10.0.0.0/8 or fd00::/8";
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            problem = "is an IPv4-mapped IPv6 network; write it in IPv4 form (it covers the mapped addresses too)";
            return false;
        }

        if (!network.BaseAddress.Equals(address))
        {
            problem = $"has address bits set past its prefix length; did you mean {network}?";
            return false;
        }

        foreach (var forbidden in NeverAllowed)
        {
            if (Overlaps(forbidden, network))
            {
                problem = $"overlaps {forbidden}, whose addresses (loopback, link-local, unspecified, multicast or broadcast) are never allowed";
                return false;
            }
        }

        problem = null;
        return true;
    }

    /// <summary>The valid entries of <paramref name="entries"/> (the options validator reports the others at start-up).</summary>
    public static IReadOnlyList<IPNetwork> ParseValid(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (TryParse(entry, out var network, out _))
            {
                networks.Add(network);
            }
        }

        return networks;
    }

    private static bool Overlaps(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily
        && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    /// <summary>True when <paramref name="address"/> (an IPv4-mapped IPv6 address counts as its IPv4 form) is in one of <paramref name="networks"/>.</summary>
    public static bool Contains(IReadOnlyList<IPNetwork> networks, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(address);
        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in networks)
        {
            if (network.BaseAddress.AddressFamily == normalized.AddressFamily && network.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }
}
