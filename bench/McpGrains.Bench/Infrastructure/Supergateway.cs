using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using McpGrains.Testing;

namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// supergateway (pinned in bench/package.json, installed with npm ci into bench/node_modules) in its
/// stdio → Streamable HTTP mode (stateful), in front of the echo server running as a stdio child process. Version 3.4.3
/// has no Streamable HTTP → Streamable HTTP mode.
/// </summary>
public static class Supergateway
{
    public static async Task<(ChildProcess Process, Uri Endpoint)> StartAsync()
    {
        var bench = Path.Combine(NodeTools.RepositoryRoot, "bench");
        var entry = Path.Combine(bench, "node_modules", "supergateway", "dist", "index.js");
        if (!File.Exists(entry))
        {
            var install = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = bench };
            using var npm = Process.Start(install) ?? throw new InvalidOperationException("npm is needed for the supergateway comparison.");
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException("npm ci in bench/ failed.");
            }
        }

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("node", [entry,
            "--stdio", ChildProcess.SelfCommandLine(EchoServer.Command, "stdio"),
            "--outputTransport", "streamableHttp", "--stateful", "--sessionTimeout", "600000",
            "--port", port.ToString(CultureInfo.InvariantCulture), "--logLevel", "none"]);
        var process = ChildProcess.Start(start);
        await Listening.WaitAsync(port, process, "supergateway");

        return (process, new Uri($"http://127.0.0.1:{port}/mcp"));
    }
}
