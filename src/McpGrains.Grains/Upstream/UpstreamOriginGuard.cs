using McpGrains.OAuth;

namespace McpGrains.Grains.Upstream;

/// <summary>
/// Keeps one upstream connection on the origin (scheme, host, port) of its configured server URL. A legacy HTTP+SSE
/// server names the URL the client must POST its messages to (the <c>endpoint</c> event), and may name any origin: such
/// a request is refused before it is sent, so the user's bearer token (added further in) never leaves the server's
/// origin, and the connection fails saying why. Also marks the requests of a server allowed on private networks
/// (<see cref="PrivateNetworkAccess"/>).
/// </summary>
public sealed class UpstreamOriginGuard : DelegatingHandler
{
    private readonly Uri _origin;
    private readonly bool _allowPrivateNetwork;

    public UpstreamOriginGuard(Uri serverUrl, bool allowPrivateNetwork, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        ArgumentNullException.ThrowIfNull(serverUrl);
        _origin = serverUrl;
        _allowPrivateNetwork = allowPrivateNetwork;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { IsAbsoluteUri: true } target || !IsSameOrigin(target, _origin))
        {
            throw new UpstreamDestinationRefusedException(
                $"refused: the upstream server sent its messages to another origin, {Origin(request.RequestUri)}; "
                + $"McpGrains talks to this server at {Origin(_origin)} only");
        }

        if (_allowPrivateNetwork)
        {
            request.Options.Set(PrivateNetworkAccess.RequestOption, true);
        }

        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Scheme, host and port equal (host case-insensitively, as URIs compare them).</summary>
    public static bool IsSameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>Scheme, host and port only: never the path or query, which may carry a session id.</summary>
    private static string Origin(Uri? uri) =>
        uri is { IsAbsoluteUri: true } ? uri.GetLeftPart(UriPartial.Authority) : "(a relative URL)";
}
