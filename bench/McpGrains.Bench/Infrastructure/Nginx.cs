using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using McpGrains.Testing;

namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// nginx (Debian's <c>nginx-light</c>, installed with apt-get when missing) as one plain HTTP hop in front of the echo
/// server: the anchor for what any reverse proxy costs on this machine. Upstream keep-alive, no buffering (MCP answers
/// may be event streams), no access log; as many workers as cores, as nginx is run. To an https upstream (the echo
/// server of <see cref="EchoTls"/>) it checks the upstream's certificate and reuses TLS sessions, as a production
/// proxy would.
/// </summary>
public static class Nginx
{
    public static async Task<(ChildProcess Process, Uri Endpoint)> StartAsync(Uri upstream, EchoTls? tls = null)
    {
        var binary = await FindOrInstallAsync();
        var directory = Directory.CreateTempSubdirectory("mcpgrains-bench-nginx-").FullName;
        var port = FreePorts.Next();
        var configuration = Path.Combine(directory, "nginx.conf");
        var user = Environment.UserName == "root" ? "user root;" : "";
        var upstreamTls = tls is null ? "" : $"""
            proxy_ssl_verify on;
            proxy_ssl_trusted_certificate {tls.CertificatePath};
            proxy_ssl_name {EchoTls.Name};
            proxy_ssl_session_reuse on;
            """;
        await File.WriteAllTextAsync(configuration, $$"""
            {{user}}
            worker_processes auto;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log error;
            events { worker_connections 4096; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                upstream echo { server {{upstream.Authority}}; keepalive 128; }
                server {
                    listen 127.0.0.1:{{port.ToString(CultureInfo.InvariantCulture)}};
                    location / {
                        proxy_pass {{upstream.Scheme}}://echo;
                        {{upstreamTls}}
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_buffering off;
                        proxy_request_buffering off;
                        proxy_read_timeout 600s;
                    }
                }
            }
            """);
        var process = ChildProcess.Start(new ProcessStartInfo(binary, ["-c", configuration, "-p", directory, "-g", "daemon off;"]));
        await Listening.WaitAsync(port, process, "nginx");

        return (process, new Uri($"http://127.0.0.1:{port}{upstream.PathAndQuery}"));
    }

    private static async Task<string> FindOrInstallAsync()
    {
        foreach (var candidate in new[] { "/usr/sbin/nginx", "/usr/bin/nginx" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        // A fresh machine may have no package lists yet: install, and on failure update them and install once more.
        Console.WriteLine("  installing nginx-light (apt-get)");
        if (await AptGetAsync("install", "-y", "--no-install-recommends", "nginx-light") != 0)
        {
            await AptGetAsync("update");
            await AptGetAsync("install", "-y", "--no-install-recommends", "nginx-light");
        }

        if (!File.Exists("/usr/sbin/nginx"))
        {
            throw new InvalidOperationException("apt-get install nginx-light failed (run it as root, or install nginx-light).");
        }

        return "/usr/sbin/nginx";
    }

    private static async Task<int> AptGetAsync(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("apt-get", arguments)
        {
            Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
        }) ?? throw new InvalidOperationException("apt-get is needed to install nginx-light.");
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
