using Microsoft.Extensions.Logging;

namespace McpGrains.Testing;

/// <summary>
/// An <see cref="ILoggerProvider"/> that keeps every log message, structured value, scope and exception text,
/// so tests can assert that no secret was ever logged: <c>Assert.Null(capture.FindAny(server.AllIssuedSecrets))</c>.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly Lock _sync = new();
    private readonly List<CapturedLogEntry> _entries = [];

    public IReadOnlyList<CapturedLogEntry> Entries
    {
        get
        {
            lock (_sync)
            {
                return [.. _entries];
            }
        }
    }

    public IReadOnlyList<string> Messages => [.. Entries.Select(entry => entry.Message)];

    /// <summary>A logger factory whose only provider is this capture (the caller disposes it).</summary>
    public ILoggerFactory CreateLoggerFactory() =>
        LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    public ILogger CreateLogger(string categoryName) => new CapturedLogger(this, categoryName);

    /// <summary>The first of <paramref name="values"/> found anywhere in the captured text, or null if none is.</summary>
    public string? FindAny(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var entries = Entries;
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            if (entries.Any(entry => entry.FullText.Contains(value, StringComparison.Ordinal)))
            {
                return value;
            }
        }

        return null;
    }

    public void Clear()
    {
        lock (_sync)
        {
            _entries.Clear();
        }
    }

    public void Dispose()
    {
    }

    internal void Add(CapturedLogEntry entry)
    {
        lock (_sync)
        {
            _entries.Add(entry);
        }
    }
}
