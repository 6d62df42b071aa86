namespace McpGrains.Configuration;

public static class UpstreamTransports
{
    public const string Auto = "auto";
    public const string StreamableHttp = "streamable-http";
    public const string Sse = "sse";

    public static bool IsKnown(string? value) => value is Auto or StreamableHttp or Sse;
}
