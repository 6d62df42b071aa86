using McpGrains.Bench.Infrastructure;

namespace McpGrains.Bench;

/// <summary>Entry point: the suite, or a child mode (<c>echo-server http|https|stdio</c>, <c>forwarder</c>).</summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == EchoServer.Command)
        {
            return await EchoServer.RunAsync(args[1..]);
        }

        if (args.Length >= 2 && args[0] == BareForwarder.Command)
        {
            return await BareForwarder.RunAsync(args[1..]);
        }

        return await BenchSuite.RunAsync(BenchSettings.Parse(args));
    }
}
