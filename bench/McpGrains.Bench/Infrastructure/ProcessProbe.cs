using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using McpGrains.Testing;

namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// Reads what a measured process (McpGrains.Host, the echo server) has allocated and how much CPU it has used, through
/// the startup hook in McpGrains.Bench.Probe: the bench charges both per call by reading before and after a slice.
/// </summary>
public sealed class ProcessProbe
{
    private const string PathVariable = "MCPGRAINS_BENCH_PROBE";
    private readonly string _socketPath;

    private ProcessProbe(string socketPath)
    {
        _socketPath = socketPath;
    }

    /// <summary>The build configuration of the bench, which is the configuration the processes it starts were built in.</summary>
    public static string Configuration =>
        typeof(ProcessProbe).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>Adds the startup hook to a process about to start, returning the probe that reads it.</summary>
    public static ProcessProbe Attach(ProcessStartInfo start, string name)
    {
        var hook = Path.Combine(NodeTools.RepositoryRoot, "bench", "McpGrains.Bench.Probe", "bin", Configuration, "net10.0", "McpGrains.Bench.Probe.dll");
        if (!File.Exists(hook))
        {
            throw new InvalidOperationException($"{hook} is missing: build the solution (or the bench) in {Configuration}.");
        }

        var socketPath = Path.Combine(Path.GetTempPath(), $"mcpgrains-bench-{Environment.ProcessId}-{name}.sock");
        start.Environment["DOTNET_STARTUP_HOOKS"] = hook;
        start.Environment[PathVariable] = socketPath;
        return new ProcessProbe(socketPath);
    }

    public async Task<ProbeReading> ReadAsync()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath));
        var buffer = new byte[128];
        var length = 0;
        int read;
        while ((read = await socket.ReceiveAsync(buffer.AsMemory(length))) > 0)
        {
            length += read;
        }

        var parts = Encoding.ASCII.GetString(buffer, 0, length).Trim().Split(' ');
        return new ProbeReading(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.FromTicks(long.Parse(parts[1], CultureInfo.InvariantCulture)));
    }
}

/// <summary>Bytes allocated and CPU time used by a process since it started.</summary>
public readonly record struct ProbeReading(long AllocatedBytes, TimeSpan Cpu)
{
    public static ProbeReading operator -(ProbeReading after, ProbeReading before) =>
        new(after.AllocatedBytes - before.AllocatedBytes, after.Cpu - before.Cpu);

    public static ProbeReading operator +(ProbeReading left, ProbeReading right) =>
        new(left.AllocatedBytes + right.AllocatedBytes, left.Cpu + right.Cpu);
}
