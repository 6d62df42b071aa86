namespace McpGrains.Host.Telemetry;

/// <summary><c>McpGrains:Logging</c>: how console logs are written.</summary>
public sealed class LoggingFormatOptions
{
    public const string SectionName = "McpGrains:Logging";

    public const string Simple = "simple";

    public const string Json = "json";

    /// <summary><c>simple</c> (default, one line per entry for people) or <c>json</c> (one JSON object per line, for log shippers).</summary>
    public string Format { get; set; } = Simple;
}
