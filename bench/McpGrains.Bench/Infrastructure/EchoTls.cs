using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// What the echo server needs to be an upstream a production node accepts: https, on an address that is not loopback
/// (McpGrains refuses loopback outside Development). A self-signed certificate for this machine's first non-loopback
/// IPv4 address, written as PEM files: the echo server serves it, McpGrains trusts it as its only root
/// (<c>SSL_CERT_FILE</c>, which .NET on Linux reads like OpenSSL does), nginx and the bench's own clients check for it.
/// </summary>
public sealed class EchoTls : IDisposable
{
    private readonly string _directory;

    private EchoTls(string directory, IPAddress address, X509Certificate2 certificate)
    {
        _directory = directory;
        Address = address;
        Certificate = certificate;
    }

    /// <summary>The certificate's name besides the address, for nginx (which matches names, not IP addresses).</summary>
    public const string Name = "echo.mcpgrains-bench.invalid";

    /// <summary>The address the echo server listens on: routed over the loopback device, but not a loopback address.</summary>
    public IPAddress Address { get; }

    public X509Certificate2 Certificate { get; }

    public string CertificatePath => Path.Combine(_directory, "echo.crt");

    public string KeyPath => Path.Combine(_directory, "echo.key");

    public static EchoTls Create()
    {
        var address = LocalAddress() ?? throw new InvalidOperationException(
            "Scenario 6 needs a network interface with an IPv4 address that is not loopback: a production node refuses loopback upstreams.");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + Name, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(address);
        names.AddDnsName(Name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        var tls = new EchoTls(Directory.CreateTempSubdirectory("mcpgrains-bench-tls-").FullName, address, certificate);
        File.WriteAllText(tls.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(tls.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return tls;
    }

    /// <summary>A handler for the bench's own clients of the echo server: this certificate, and nothing else, is trusted.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var handler = McpClients.NewHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString();
        return handler;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static IPAddress? LocalAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(network => network.OperationalStatus == OperationalStatus.Up && network.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(network => network.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .FirstOrDefault(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address) && address.GetAddressBytes() is not [169, 254, ..]);
}
