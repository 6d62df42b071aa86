using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Bench.Infrastructure;

/// <summary>
/// The floor for any proxy built on .NET's HTTP stacks: Kestrel in front, <see cref="SocketsHttpHandler"/> behind, and
/// nothing in between (no authentication, routing, limits, logging or grain). Every request goes to the same path on
/// the upstream, asking for HTTP/2 with HTTP/1.1 as the fallback as McpGrains does, the upstream's certificate pinned;
/// the answer streams back as it arrives (MCP answers may be event streams). It runs as a child process of the
/// bench (<c>McpGrains.Bench forwarder upstream certificate.pem</c>) with the bench's runtime settings, which are an
/// ASP.NET app's defaults (server GC), so that its CPU and allocations are read as the proxies' are.
/// </summary>
public static class BareForwarder
{
    public const string Command = "forwarder";

    /// <summary>Headers of one connection, not of the message (RFC 9110 section 7.6.1), and the ones Kestrel and the handler set themselves.</summary>
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    public static async Task<int> RunAsync(string[] arguments)
    {
        var upstream = new Uri(arguments[0]);
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(arguments[1]));
        var pinned = certificate.GetCertHashString();
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == pinned;
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);

        var web = WebApplication.CreateSlimBuilder();
        web.Logging.ClearProviders();
        web.WebHost.UseUrls("http://127.0.0.1:0");
        var app = web.Build();
        app.Run(context => ForwardAsync(context, invoker, upstream));
        await app.StartAsync();
        await Console.Out.WriteLineAsync(EchoServer.ReadyLine + app.Urls.First().TrimEnd('/') + upstream.AbsolutePath);
        await Console.Out.FlushAsync();
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task ForwardAsync(HttpContext context, HttpMessageInvoker invoker, Uri upstream)
    {
        var aborted = context.RequestAborted;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(upstream, context.Request.Path + context.Request.QueryString))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (!NotForwarded.Contains(name) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await invoker.SendAsync(request, aborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!NotForwarded.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        // Kestrel sends each write of a response without a length as it comes, so an event reaches the client when
        // the upstream sends it.
        await using var body = await response.Content.ReadAsStreamAsync(aborted);
        await body.CopyToAsync(context.Response.Body, aborted);
    }
}
