using System.Diagnostics;
using System.Text.RegularExpressions;
using McpGrains.Testing;

namespace McpGrains.Adversary.Tests.Demo;

/// <summary>
/// <c>dotnet McpGrains.Host.dll demo --port N</c> as a newcomer starts it (the solution build's host dll, run from its
/// own directory), its output read line by line; killed with its process tree on dispose.
/// </summary>
public sealed partial class DemoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _signInLink = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _sync = new();
    private readonly List<string> _output = [];

    private DemoProcess(Process process)
    {
        _process = process;
    }

    public static string HostDll
    {
        get
        {
            // The tests run from tests/<project>/bin/<Configuration>/<framework>/: the host of the same build is beside.
            var framework = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = framework.Parent!;
            var dll = Path.Combine(NodeTools.RepositoryRoot, "src", "McpGrains.Host", "bin", configuration.Name, framework.Name, "McpGrains.Host.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution (dotnet build McpGrains.sln) first.");
        }
    }

    public Uri BaseAddress { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_sync)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static DemoProcess Start(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var port = RunningHost.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(HostDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HostDll);
        start.ArgumentList.Add("demo");
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var demo = new DemoProcess(process) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        process.OutputDataReceived += (_, e) => demo.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => demo.Receive(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return demo;
    }

    /// <summary>The sign-in link the demo prints once it runs.</summary>
    public async Task<string> SignInLinkAsync()
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_signInLink.Task, exited).WaitAsync(TimeSpan.FromSeconds(90));
        return first == _signInLink.Task ? await _signInLink.Task : throw new InvalidOperationException($"The demo exited ({_process.ExitCode}) without a sign-in link:\n{Output}");
    }

    /// <summary>The host app key the demo printed (made for this run).</summary>
    public string HostKey => HostKeyLine().Match(Output) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("No host key in:\n" + Output);

    /// <summary>The demo authorization server's origin, as the demo printed it.</summary>
    public Uri DemoIdentity => DemoIdentityLine().Match(Output) is { Success: true } match ? new Uri(match.Groups[1].Value) : throw new InvalidOperationException("No Demo Identity in:\n" + Output);

    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_sync)
        {
            _output.Add(line);
        }

        if (SignInLine().Match(line) is { Success: true } match)
        {
            _signInLink.TrySetResult(match.Groups[1].Value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Sign-in link for alice: (http://127\.0\.0\.1:\d+/oauth/start/\S+)")]
    private static partial Regex SignInLine();

    [GeneratedRegex(@"Demo Identity\s+(http://127\.0\.0\.1:\d+)")]
    private static partial Regex DemoIdentityLine();

    [GeneratedRegex(@"host app ""librechat"", key (\S+)")]
    private static partial Regex HostKeyLine();
}
