namespace McpGrains.Grains.Downstream;

/// <summary>The persisted part of a downstream session. Property names and ids are a stored contract.</summary>
[GenerateSerializer, Alias("McpGrains.Grains.DownstreamSessionState")]
public sealed class DownstreamSessionState
{
    /// <summary>The formatted <see cref="McpSessionKey"/> the session is bound to; null when there is no session.</summary>
    [Id(0)] public string? Key { get; set; }

    [Id(1)] public string? ProtocolVersion { get; set; }

    [Id(2)] public DownstreamCapabilities? Capabilities { get; set; }

    [Id(3)] public string? ClientName { get; set; }

    [Id(4)] public string? ClientVersion { get; set; }

    [Id(5)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Written at most every quarter of the idle timeout; the activation keeps the exact time.</summary>
    [Id(6)] public DateTimeOffset LastUsedAt { get; set; }
}
