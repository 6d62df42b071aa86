using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace McpGrains.Cluster.Tests.Harness;

/// <summary>
/// One McpGrains.Host process (<c>dotnet McpGrains.Host.dll</c>) started with its own environment and arguments. Its
/// output is kept (bounded) for failure messages; readiness is polled on <c>/health/ready</c> within a deadline.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private const int MaxOutputChars = 200_000;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(string name, Process process, Uri? baseUri)
    {
        Name = name;
        _process = process;
        BaseUri = baseUri;
    }

    public string Name { get; }

    /// <summary>The process's HTTP address (<c>--urls</c>), when it serves HTTP.</summary>
    public Uri? BaseUri { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Everything the process wrote so far (stdout and stderr, interleaved, truncated at the front when long).</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet {HostBuild.DllPath} {arguments}</c> in the host's build directory (so its appsettings.json applies).</summary>
    public static HostProcess Start(string name, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments, Uri? baseUri = null)
    {
        var startInfo = new ProcessStartInfo(HostBuild.DotNetExecutable)
        {
            WorkingDirectory = Path.GetDirectoryName(HostBuild.DllPath)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        startInfo.ArgumentList.Add(HostBuild.DllPath);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The test process's own McpGrains settings (if any) must not leak into the child.
        foreach (var inherited in startInfo.Environment.Keys.Where(key => key.StartsWith("McpGrains__", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(inherited);
        }

        // The cluster runs on loopback with AllowInsecureLoopback, which the host accepts only in Development.
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var host = new HostProcess(name, process, baseUri);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Exited += (_, _) => host._exited.TrySetResult();
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name}: could not start {HostBuild.DotNetExecutable} {HostBuild.DllPath}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Polls <c>/health/ready</c> until it answers 200; fails with the process output when the deadline passes or the process exits.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var baseUri = BaseUri ?? throw new InvalidOperationException($"{Name} has no HTTP address.");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = Stopwatch.StartNew();
        var last = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            if (HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready.\n{Tail()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(baseUri, "/health/ready"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "readiness request timed out";
            }

            // Polling interval of a readiness probe, not a synchronization sleep.
            await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken));
        }

        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (last: {last}).\n{Tail()}");
    }

    /// <summary>Waits for the process to exit on its own (e.g. <c>migrate</c>) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout)) != _exited.Task)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.\n{Tail()}");
        }

        await _process.WaitForExitAsync(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process gets no chance to clean up (no membership update, no state flush).</summary>
    public async Task KillAsync()
    {
        if (HasExited)
        {
            return;
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait for a graceful shutdown (the silo leaves the cluster); SIGKILL if it takes too long.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (HasExited)
        {
            return;
        }

        using (var signal = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            if (signal is not null)
            {
                await signal.WaitForExitAsync();
            }
        }

        if (await Task.WhenAny(_exited.Task, Task.Delay(timeout ?? TimeSpan.FromSeconds(30))) != _exited.Task)
        {
            Append($"[harness] {Name} did not stop gracefully in time: killed.");
            await KillAsync();
            return;
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>The last part of the output, for assertion messages.</summary>
    public string Tail(int chars = 6000)
    {
        var output = Output;
        return $"--- {Name} (pid {_process.Id.ToString(CultureInfo.InvariantCulture)}) output ---\n" + (output.Length <= chars ? output : "…" + output[^chars..]);
    }

    /// <summary>When set, every process's whole output is written to this directory on dispose (debugging aid).</summary>
    public const string LogDirectoryVariable = "MCPGRAINS_CLUSTER_TEST_LOGS";

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (Environment.GetEnvironmentVariable(LogDirectoryVariable) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, $"{Name}-{_process.Id.ToString(CultureInfo.InvariantCulture)}.log"), Output);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
            if (_output.Length > MaxOutputChars)
            {
                _output.Remove(0, _output.Length - (MaxOutputChars / 2));
            }
        }
    }
}
