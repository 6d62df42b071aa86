using Microsoft.Extensions.Logging;

namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// Counts what the host logs, in lines and in the bytes the console logger's default (simple) format would write for
/// them, without writing anything: the log volume an operator would store, at the host's configured levels.
/// </summary>
public sealed class LogVolume : ILoggerProvider
{
    private long _lines;
    private long _bytes;

    public long Lines => Interlocked.Read(ref _lines);

    public long Bytes => Interlocked.Read(ref _bytes);

    public ILogger CreateLogger(string categoryName) => new CountingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Count(string category, int eventId, string message, Exception? exception)
    {
        // "info: Category[EventId]\n      message\n" (plus the exception's text), as SimpleConsoleFormatter lays it out.
        var bytes = 6 + category.Length + 2 + eventId.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 2 + 6 + message.Length + 1
            + (exception is null ? 0 : exception.ToString().Length + 1);
        Interlocked.Increment(ref _lines);
        Interlocked.Add(ref _bytes, bytes);
    }

    private sealed class CountingLogger(LogVolume volume, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            volume.Count(category, eventId.Id, formatter(state, exception), exception);
    }
}
