namespace McpGrains.Grains.Upstream;

/// <summary>
/// Tells whether the server answered a POST to its endpoint as a Streamable HTTP server does (2xx with a JSON body or
/// an event stream). In auto-detect mode the SDK falls back to legacy HTTP+SSE, whose messages go elsewhere and are
/// answered on the GET stream: only a confirmed Streamable HTTP server gets requests sent directly.
/// </summary>
internal sealed class StreamableHttpProbe(Uri endpoint, HttpMessageHandler innerHandler) : DelegatingHandler(innerHandler)
{
    private volatile bool _confirmed;

    public bool Confirmed => _confirmed;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        // Once confirmed, a plain pass-through: no async state machine per request.
        _confirmed ? base.SendAsync(request, cancellationToken) : ProbeAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> ProbeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!_confirmed && request.Method == HttpMethod.Post && request.RequestUri == endpoint && response.IsSuccessStatusCode
            && response.Content.Headers.ContentType?.MediaType is "application/json" or "text/event-stream")
        {
            _confirmed = true;
        }

        return response;
    }
}
