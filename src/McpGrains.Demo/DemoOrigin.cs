namespace McpGrains.Demo;

/// <summary>Where the demo world listens (<c>http://127.0.0.1:{port}</c>), known once Kestrel has picked the port.</summary>
public sealed class DemoOrigin
{
    public string Url { get; set; } = string.Empty;
}
