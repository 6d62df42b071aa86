namespace McpGrains.OAuth;

/// <summary>
/// Refuses non-https request URLs before anything is sent (http only to loopback behind the switch), and carries the
/// caller's <see cref="PrivateNetworkAccess"/> scope onto the request.
/// </summary>
internal sealed class UpstreamRequestGuard(UpstreamAddressPolicy policy) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is null)
        {
            throw new UpstreamDestinationRefusedException("refused: the request has no URL");
        }

        if (!policy.IsUriAllowed(request.RequestUri, out var reason))
        {
            throw new UpstreamDestinationRefusedException(reason ?? "refused: the URL is not allowed");
        }

        PrivateNetworkAccess.ApplyScope(request);
        return base.SendAsync(request, cancellationToken);
    }
}
