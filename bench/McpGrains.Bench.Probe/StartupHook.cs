using System.Globalization;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// Loaded by the runtime before Main when <c>DOTNET_STARTUP_HOOKS</c> names this assembly (the type must be called
/// <c>StartupHook</c>, in no namespace). With <c>MCPGRAINS_BENCH_PROBE</c> set to a socket path, every connection to
/// that Unix socket gets one line, "allocated-bytes cpu-ticks", and is closed. Nothing else in the process changes.
/// </summary>
internal static class StartupHook
{
    public const string PathVariable = "MCPGRAINS_BENCH_PROBE";

    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        if (File.Exists(path))
        {
            File.Delete(path);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(4);
        new Thread(() => Serve(listener)) { IsBackground = true, Name = "bench-probe" }.Start();
    }

    private static void Serve(Socket listener)
    {
        while (true)
        {
            using var connection = listener.Accept();
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{GC.GetTotalAllocatedBytes(precise: true)} {Environment.CpuUsage.TotalTime.Ticks}\n");
            connection.Send(Encoding.ASCII.GetBytes(line));
        }
    }
}
