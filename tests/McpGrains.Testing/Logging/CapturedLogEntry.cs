using Microsoft.Extensions.Logging;

namespace McpGrains.Testing;

/// <summary>One captured log call (or scope): the formatted message plus every structured value and the exception.</summary>
public sealed record CapturedLogEntry(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    IReadOnlyList<string> StructuredValues,
    string? Exception)
{
    /// <summary>All text of the entry, for secret scanning.</summary>
    public string FullText => string.Join('\n', [Message, .. StructuredValues, Exception ?? ""]);
}
