using Microsoft.Extensions.Logging;

namespace McpGrains.Testing;

/// <summary>The logger handed out by <see cref="LogCapture"/>; logs at every level.</summary>
internal sealed class CapturedLogger(LogCapture capture, string category) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        // Scopes can carry secrets too (e.g. a URL), so they are captured as entries of their own.
        capture.Add(new CapturedLogEntry(category, LogLevel.None, new EventId(0, "Scope"), state.ToString() ?? "", StructuredValuesOf(state), null));
        return null;
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        capture.Add(new CapturedLogEntry(category, logLevel, eventId, formatter(state, exception), StructuredValuesOf(state), exception?.ToString()));
    }

    private static IReadOnlyList<string> StructuredValuesOf<TState>(TState state) =>
        state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? [.. pairs.Select(pair => $"{pair.Key}={pair.Value}")]
            : [];
}
