using System.Diagnostics;

namespace McpGrains.Bench.Infrastructure;

/// <summary>A child process of the bench (echo server, supergateway), killed with its tree on dispose.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    /// <summary>Starts the bench itself in another mode (same runtime, same build).</summary>
    public static ProcessStartInfo Self(params string[] arguments)
    {
        var entry = typeof(ChildProcess).Assembly.Location;
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet");
        // Under `dotnet McpGrains.Bench.dll` the process is dotnet and needs the entry assembly; under the apphost
        // (`dotnet run`) it does not.
        if (Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(entry);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The command line that starts the bench in another mode, for tools that take one string (supergateway --stdio).</summary>
    public static string SelfCommandLine(params string[] arguments)
    {
        var start = Self(arguments);
        return string.Join(' ', new[] { start.FileName }.Concat(start.ArgumentList).Select(Quote));
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a process whose output is read and handed to <paramref name="onLine"/> or dropped, so that it never blocks.</summary>
    public static ChildProcess Start(ProcessStartInfo start, Action<string>? onLine = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                onLine?.Invoke(e.Data);
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process);
    }

    public static async Task<(ChildProcess Process, string Line)> StartAndWaitForLineAsync(ProcessStartInfo start, Func<string, bool> ready, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var child = new ChildProcess(process);
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (ready(e.Data))
            {
                found.TrySetResult(e.Data);
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        await using (cancel.Token.Register(() => found.TrySetException(new TimeoutException($"{start.FileName} did not get ready within {timeout}. Output: {output}"))))
        {
            _ = process.WaitForExitAsync().ContinueWith(_ => found.TrySetException(new InvalidOperationException($"{start.FileName} exited early. Output: {output}")), TaskScheduler.Default);
            try
            {
                return (child, await found.Task);
            }
            catch
            {
                await child.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private static string Quote(string value) => value.Contains(' ', StringComparison.Ordinal) ? "\"" + value + "\"" : value;
}
