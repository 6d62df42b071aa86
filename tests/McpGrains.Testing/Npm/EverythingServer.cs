using System.Diagnostics;

namespace McpGrains.Testing;

/// <summary>
/// @modelcontextprotocol/server-everything (pinned in .ci/node-tools) as a child process on a free loopback port, in
/// <c>sse</c> or <c>streamableHttp</c> mode: a real MCP peer from npm.
/// </summary>
public sealed class EverythingServer : IAsyncDisposable
{
    private readonly Process _process;

    private EverythingServer(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>The MCP endpoint: <c>/sse</c> in SSE mode, <c>/mcp</c> in Streamable HTTP mode.</summary>
    public Uri Endpoint { get; }

    public static async Task<EverythingServer> StartAsync(string mode, CancellationToken cancellationToken = default)
    {
        if (mode is not ("sse" or "streamableHttp"))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "sse or streamableHttp");
        }

        var tools = await NodeTools.GetAsync();
        var port = FreePorts.Next();
        var start = new ProcessStartInfo(tools["NODE22"], [tools["SERVER_EVERYTHING"], mode])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start server-everything.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        void OnLine(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data.Contains($"port {port}", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        }

        process.OutputDataReceived += OnLine;
        process.ErrorDataReceived += OnLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"server-everything exited early:{Environment.NewLine}{output}"));

        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        var path = mode == "sse" ? "/sse" : "/mcp";
        return new EverythingServer(process, new Uri($"http://127.0.0.1:{port}{path}"));
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
}
