namespace McpGrains.OAuth;

/// <summary>
/// The primary handler of the guarded clients: two connection pools, one that may connect to private addresses and one
/// that may not, chosen per request by <see cref="PrivateNetworkAccess"/>. Separate pools keep a connection opened for
/// a server allowed on private networks from ever serving a request of one that is not (pools are keyed by host and
/// port only).
/// </summary>
internal sealed class UpstreamConnectionPools(HttpMessageHandler publicOnly, HttpMessageHandler privateAllowed) : HttpMessageHandler
{
    private readonly HttpMessageInvoker _publicOnly = new(publicOnly, disposeHandler: true);
    private readonly HttpMessageInvoker _privateAllowed = new(privateAllowed, disposeHandler: true);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Pool(request).SendAsync(request, cancellationToken);

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Pool(request).Send(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _publicOnly.Dispose();
            _privateAllowed.Dispose();
        }

        base.Dispose(disposing);
    }

    private HttpMessageInvoker Pool(HttpRequestMessage request) =>
        PrivateNetworkAccess.IsAllowed(request) ? _privateAllowed : _publicOnly;
}
