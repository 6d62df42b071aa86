using System.Globalization;
using System.Runtime.InteropServices;

namespace McpGrains.Bench.Infrastructure;

/// <summary>What the figures were measured on: cores, memory, OS, .NET and the load average.</summary>
public sealed record MachineInfo(int Cores, string Cpu, double MemoryGiB, string Os, string Runtime, string Gc, double[] LoadAverage)
{
    public string Summary => $"{Cores} cores ({Cpu}), {MemoryGiB:F1} GiB, {Os}, {Runtime}, load {FormatLoad()}";

    public string FormatLoad() => string.Join(" / ", LoadAverage.Select(l => l.ToString("F2", CultureInfo.InvariantCulture)));

    public static MachineInfo Capture()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadFirst("/proc/meminfo", "MemTotal") is { } total
            ? double.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture) / 1024 / 1024
            : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024;
        var load = File.Exists("/proc/loadavg")
            ? File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
            : [];
        var gc = System.Runtime.GCSettings.IsServerGC ? "server GC" : "workstation GC";
        return new MachineInfo(Environment.ProcessorCount, cpu, memory, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, gc, load);
    }

    private static string? ReadFirst(string file, string key)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return null;
    }
}
