namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// A plain round-robin balancer in the client: each request goes to the next of the front ends, whatever session it
/// belongs to (no stickiness), by rewriting the request's scheme, host and port.
/// </summary>
public sealed class AlternatingHandler(IReadOnlyList<Uri> frontEnds) : DelegatingHandler(NewPool())
{
    private int _next = -1;

    public static SocketsHttpHandler NewPool() =>
        new() { AllowAutoRedirect = false, MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = frontEnds[(int)((uint)Interlocked.Increment(ref _next) % (uint)frontEnds.Count)];
        request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
