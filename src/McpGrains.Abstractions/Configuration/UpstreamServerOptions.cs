namespace McpGrains.Configuration;

/// <summary><c>McpGrains:Servers:&lt;id&gt;</c>.</summary>
public sealed class UpstreamServerOptions
{
    public string? Url { get; set; }

    /// <summary><c>auto</c> (Streamable HTTP, then legacy SSE), <c>streamable-http</c> or <c>sse</c>.</summary>
    public string Transport { get; set; } = UpstreamTransports.Auto;

    /// <summary>A name for people; defaults to the server id.</summary>
    public string? DisplayName { get; set; }

    public UpstreamOAuthOptions OAuth { get; set; } = new();
}
