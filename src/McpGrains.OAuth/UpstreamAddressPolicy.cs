using System.Net;
using System.Net.Sockets;
using McpGrains.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGrains.OAuth;

/// <summary>
/// SSRF guard for every upstream request (OAuth traffic and the MCP transport): https only, and only public
/// destinations, unless the operator allowed more. Private addresses: those in
/// <see cref="OAuthHttpOptions.AllowedPrivateNetworks"/>, and for requests marked by <see cref="PrivateNetworkAccess"/>
/// (a server with <c>AllowPrivateNetwork</c>) any private or unique-local one. Loopback (and http to loopback) only
/// behind <see cref="OAuthHttpOptions.AllowInsecureLoopback"/>. Link-local, cloud metadata, unspecified, multicast and
/// broadcast addresses never. The check runs in <see cref="ConnectAsync(SocketsHttpConnectionContext, bool, CancellationToken)"/>
/// on the addresses actually connected to (resolve-then-connect defeats DNS rebinding).
/// </summary>
public sealed partial class UpstreamAddressPolicy
{
    private static readonly IPAddress AwsIpv6Metadata = IPAddress.Parse("fd00:ec2::254");

    private readonly ILogger _logger;
    private readonly IReadOnlyList<IPNetwork> _allowedNetworks;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public UpstreamAddressPolicy(OAuthHttpOptions options, ILogger<UpstreamAddressPolicy>? logger = null)
        : this(options, logger, Dns.GetHostAddressesAsync)
    {
    }

    /// <param name="resolve">Name resolution (tests resolve names of their own).</param>
    internal UpstreamAddressPolicy(OAuthHttpOptions options, ILogger<UpstreamAddressPolicy>? logger, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        ArgumentNullException.ThrowIfNull(options);
        AllowInsecureLoopback = options.AllowInsecureLoopback;
        _allowedNetworks = [.. options.AllowedPrivateNetworks];
        _resolve = resolve;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public bool AllowInsecureLoopback { get; }

    /// <summary>True when a connection to <paramref name="address"/> is allowed for a request without the private-network allowance.</summary>
    public bool IsAddressAllowed(IPAddress address) => IsAddressAllowed(address, privateNetworkAllowed: false);

    /// <summary>True when a connection to <paramref name="address"/> is allowed under this policy.</summary>
    /// <param name="privateNetworkAllowed">The request is made for a server the operator allowed on private networks.</param>
    public bool IsAddressAllowed(IPAddress address, bool privateNetworkAllowed) => Categorize(address) switch
    {
        AddressCategory.Public => true,
        AddressCategory.Loopback => AllowInsecureLoopback,
        AddressCategory.Private or AddressCategory.UniqueLocal => privateNetworkAllowed || PrivateNetworkRanges.Contains(_allowedNetworks, address),
        AddressCategory.Reserved => PrivateNetworkRanges.Contains(_allowedNetworks, address),
        _ => false,
    };

    /// <summary>Scheme check of a request URL: https, or http to a loopback host when the switch is on.</summary>
    public bool IsUriAllowed(Uri uri, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(uri);
        reason = null;
        if (!uri.IsAbsoluteUri)
        {
            reason = "refused: the URL is not absolute";
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return true;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && AllowInsecureLoopback && IsLoopbackHost(uri.Host))
        {
            return true;
        }

        reason = $"refused: {uri.Scheme}://{uri.Authority} is not https";
        return false;
    }

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/> for requests without the private-network allowance: resolves
    /// the host, refuses unless EVERY resolved address is allowed, then connects to one of those addresses (never
    /// resolving again).
    /// </summary>
    public ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken) =>
        ConnectAsync(context, privateNetworkAllowed: false, cancellationToken);

    /// <inheritdoc cref="ConnectAsync(SocketsHttpConnectionContext, CancellationToken)"/>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool privateNetworkAllowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;

        IPAddress[] addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await _resolve(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{host} does not resolve to any address");
        }

        foreach (var address in addresses)
        {
            if (!IsAddressAllowed(address, privateNetworkAllowed))
            {
                var category = Categorize(address);
                LogDestinationRefused(_logger, host, category);
                throw new UpstreamDestinationRefusedException($"refused: {host} resolves to a {Describe(category)} address{Hint(category)}");
            }
        }

        Exception? lastError = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw new HttpRequestException($"Could not connect to {host}:{port}.", lastError);
    }

    /// <summary>
    /// A primary handler guarded by this policy: redirects off (every hop would need re-checking), no proxy (the
    /// connect-time check would see the proxy instead of the destination), cookies off (a shared handler would share
    /// them between users), resolve-then-connect; requests marked by <see cref="PrivateNetworkAccess"/> go through
    /// connection pools of their own.
    /// </summary>
    public HttpMessageHandler CreateHandler() => new UpstreamConnectionPools(CreatePool(privateNetworkAllowed: false), CreatePool(privateNetworkAllowed: true));

    private SocketsHttpHandler CreatePool(bool privateNetworkAllowed) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // HTTP/2 requests (an upstream's calls, when it offers HTTP/2) open another connection when the server's
        // stream limit is reached, rather than waiting for a stream of the one connection.
        EnableMultipleHttp2Connections = true,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context, privateNetworkAllowed, cancellationToken),
    };

    /// <summary>True for <c>localhost</c> names and loopback IP literals.</summary>
    public static bool IsLoopbackHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var trimmed = host.Trim('[', ']').TrimEnd('.');
        if (string.Equals(trimmed, "localhost", StringComparison.OrdinalIgnoreCase)
            || trimmed.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(trimmed, out var address) && Categorize(address) == AddressCategory.Loopback;
    }

    /// <summary>Classifies an address, looking through IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6 forms.</summary>
    public static AddressCategory Categorize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return CategorizeV4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return AddressCategory.Reserved;
        }

        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Any))
        {
            return AddressCategory.Unspecified;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressCategory.Loopback;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return CategorizeV4(b[12..16]);
        }

        if (address.Equals(AwsIpv6Metadata))
        {
            return AddressCategory.Metadata;
        }

        // IPv4-compatible ::a.b.c.d (deprecated) and NAT64 64:ff9b::/96 embed an IPv4 address in the last 32 bits.
        if (AllZero(b, 0, 12) || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && AllZero(b, 4, 8)))
        {
            return CategorizeV4(b[12..16]);
        }

        // 6to4 2002:a.b.c.d::/48 embeds an IPv4 address in bytes 2-5.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return CategorizeV4(b[2..6]);
        }

        return b[0] switch
        {
            0xff => AddressCategory.Multicast,
            0xfe when (b[1] & 0xc0) == 0x80 => AddressCategory.LinkLocal, // fe80::/10
            0xfe when (b[1] & 0xc0) == 0xc0 => AddressCategory.Private, // fec0::/10 site-local (deprecated)
            0xfc or 0xfd => AddressCategory.UniqueLocal, // fc00::/7
            _ when b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0x00 && b[5] == 0x01 => AddressCategory.Private, // 64:ff9b:1::/48 local NAT64
            _ when b[0] == 0x01 && b[1] == 0x00 && AllZero(b, 2, 6) => AddressCategory.Reserved, // 100::/64 discard
            _ when b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 => AddressCategory.Reserved, // 2001:db8::/32 documentation
            _ when b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02 => AddressCategory.Reserved, // 2001::/23 IETF protocol assignments (incl. Teredo)
            _ when (b[0] & 0xe0) == 0x20 => AddressCategory.Public, // 2000::/3 global unicast
            _ => AddressCategory.Reserved,
        };
    }

    private static AddressCategory CategorizeV4(ReadOnlySpan<byte> b) => (b[0], b[1], b[2], b[3]) switch
    {
        (255, 255, 255, 255) => AddressCategory.Broadcast,
        (0, _, _, _) => AddressCategory.Unspecified, // 0.0.0.0/8 "this network"
        (127, _, _, _) => AddressCategory.Loopback,
        (100, 100, 100, 200) or (168, 63, 129, 16) => AddressCategory.Metadata, // Alibaba Cloud metadata, Azure WireServer
        (10, _, _, _) => AddressCategory.Private,
        (172, >= 16 and <= 31, _, _) => AddressCategory.Private,
        (192, 168, _, _) => AddressCategory.Private,
        (100, >= 64 and <= 127, _, _) => AddressCategory.Private, // 100.64.0.0/10 CGNAT
        (169, 254, _, _) => AddressCategory.LinkLocal,
        (192, 0, 0, _) => AddressCategory.Reserved, // IETF protocol assignments
        (192, 0, 2, _) or (198, 51, 100, _) or (203, 0, 113, _) => AddressCategory.Reserved, // documentation
        (192, 88, 99, _) => AddressCategory.Reserved, // deprecated 6to4 relay anycast
        (198, 18 or 19, _, _) => AddressCategory.Reserved, // benchmarking
        (>= 224 and <= 239, _, _, _) => AddressCategory.Multicast,
        (>= 240, _, _, _) => AddressCategory.Reserved,
        _ => AddressCategory.Public,
    };

    private static bool AllZero(byte[] bytes, int start, int count)
    {
        for (var i = start; i < start + count; i++)
        {
            if (bytes[i] != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(AddressCategory category) => category switch
    {
        AddressCategory.Loopback => "loopback",
        AddressCategory.Private => "private",
        AddressCategory.LinkLocal => "link-local",
        AddressCategory.UniqueLocal => "unique-local (private)",
        AddressCategory.Unspecified => "unspecified",
        AddressCategory.Multicast => "multicast",
        AddressCategory.Broadcast => "broadcast",
        AddressCategory.Metadata => "cloud metadata",
        _ => "reserved",
    };

    private static string Hint(AddressCategory category) => category switch
    {
        AddressCategory.Private or AddressCategory.UniqueLocal or AddressCategory.Reserved =>
            " (an internal upstream needs McpGrains:Security:AllowedPrivateNetworks or the server's AllowPrivateNetwork)",
        AddressCategory.Loopback => " (loopback needs the development switch McpGrains:Security:AllowInsecureLoopback)",
        _ => "",
    };
}
