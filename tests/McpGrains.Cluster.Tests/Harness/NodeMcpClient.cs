using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using McpGrains.Testing;

namespace McpGrains.Cluster.Tests.Harness;

/// <summary>
/// tests/McpGrains.Testing/Node/alternating-client.cjs as a child process: the MCP TypeScript SDK's client, each
/// HTTP request to the next front end. Commands go to its stdin; its events (one JSON object per line) are kept.
/// </summary>
public sealed class NodeMcpClient : IAsyncDisposable
{
    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly List<JsonElement> _events = [];
    private readonly Lock _sync = new();
    private readonly Channel<JsonElement> _arrivals = Channel.CreateUnbounded<JsonElement>();
    private readonly StringBuilder _errors = new();

    private NodeMcpClient(Process process)
    {
        _process = process;
    }

    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_sync)
            {
                return [.. _events];
            }
        }
    }

    public static async Task<NodeMcpClient> StartAsync(string serverId, IEnumerable<Uri> frontEnds, string hostKey, string userId)
    {
        var tools = await NodeTools.GetAsync();
        var script = Path.Combine(NodeTools.RepositoryRoot, "tests", "McpGrains.Testing", "Node", "alternating-client.cjs");
        var start = new ProcessStartInfo(tools["NODE22"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(serverId);
        foreach (var frontEnd in frontEnds)
        {
            start.ArgumentList.Add(frontEnd.ToString().TrimEnd('/'));
        }

        start.Environment["NODE_PATH"] = tools["NODE_MODULES"];
        start.Environment["MCPGRAINS_HOST_KEY"] = hostKey;
        start.Environment["MCPGRAINS_USER"] = userId;
        var client = new NodeMcpClient(Process.Start(start) ?? throw new InvalidOperationException("node did not start"));
        client._process.OutputDataReceived += (_, e) => client.OnLine(e.Data);
        client._process.ErrorDataReceived += (_, e) =>
        {
            lock (client._sync)
            {
                client._errors.AppendLine(e.Data);
            }
        };
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        return client;
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>The next event (after those already taken) named <paramref name="name"/>; fails on an error event.</summary>
    public async Task<JsonElement> NextAsync(string name)
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        try
        {
            while (true)
            {
                var item = await _arrivals.Reader.ReadAsync(timeout.Token);
                var kind = item.GetProperty("event").GetString();
                if (kind is "error" or "fatal")
                {
                    throw new InvalidOperationException($"The client failed: {item}\n{Stderr()}");
                }

                if (kind == name)
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No '{name}' event within {EventTimeout.TotalSeconds:F0} s. Events: {string.Join("\n", Events)}\n{Stderr()}");
        }
    }

    public string Stderr()
    {
        lock (_sync)
        {
            return _errors.ToString();
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

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line) || !line.StartsWith('{'))
        {
            return;
        }

        var item = JsonDocument.Parse(line).RootElement.Clone();
        lock (_sync)
        {
            _events.Add(item);
        }

        _arrivals.Writer.TryWrite(item);
    }
}
