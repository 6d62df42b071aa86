namespace McpGrains.Testing;

/// <summary>One request a <see cref="RecordingListener"/> received.</summary>
public sealed record RecordedHit(string Method, string Path, string? Authorization);
