namespace McpGrains.Configuration;

/// <summary><c>McpGrains:Upstream</c>: how live upstream MCP connections are opened, kept and closed.</summary>
public sealed class UpstreamConnectionOptions
{
    /// <summary>A connection unused this long is closed (Streamable HTTP sessions are ended with DELETE).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Time allowed to open a connection (initialize or discover).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Time allowed to close a connection (the DELETE that ends a Streamable HTTP session): closing runs inside the
    /// session's exclusive section, so an upstream that never answers must not hold it longer than this.
    /// </summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Time allowed for one forwarded request. Below LibreChat's default tool-call timeout (60 s), so that LibreChat gets
    /// McpGrains' answer ("did not answer in time") rather than aborting on its own.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>
    /// Largest answer to one request an upstream server may send: its JSON body, or its event stream up to and with the
    /// answer (<c>McpGrains:Upstream:MaxResponseBytes</c>, 16 MiB by default). A larger answer fails that call with
    /// <c>upstream_response_too_large</c> and is not read further: a hostile or broken upstream cannot fill a silo's
    /// memory through it. A long-lived event stream (the Streamable HTTP GET stream, the legacy SSE stream) never ends,
    /// so there it bounds each event.
    /// </summary>
    public long MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>First wait after a failed connection attempt; doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed attempts that open the circuit; while open, calls fail fast.</summary>
    public int CircuitBreakerThreshold { get; set; } = 5;

    public TimeSpan CircuitBreakerDuration { get; set; } = TimeSpan.FromSeconds(30);
}
