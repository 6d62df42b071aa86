using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using McpGrains.Grains.Upstream;
using McpGrains.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace McpGrains.Grains.Tests;

/// <summary>
/// <c>McpGrains:Servers:{id}:Http2</c> on McpGrains' raw request path, against Kestrel over TLS with a certificate made
/// for the test (the client trusts that one certificate only). A server that offers HTTP/2 is spoken to in HTTP/2,
/// JSON and event-stream answers alike, and calls in flight together share one connection; a server without it (or a
/// plain http one) gets HTTP/1.1; with the setting off, HTTP/1.1 whatever the server offers. The server answers with
/// the protocol and connection each request arrived on.
/// </summary>
public sealed class DirectRequestSenderHttp2Tests : IAsyncLifetime
{
    private const int Concurrent = 16;

    private readonly X509Certificate2 _certificate = LoopbackCertificate.Create();
    private readonly List<WebApplication> _apps = [];
    private int _held;
    private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        _certificate.Dispose();
    }

    [Theory]
    [InlineData(HttpProtocols.Http1AndHttp2, true, true, "json", "HTTP/2")]
    [InlineData(HttpProtocols.Http1AndHttp2, true, true, "sse", "HTTP/2")]
    [InlineData(HttpProtocols.Http1, true, true, "json", "HTTP/1.1")]
    [InlineData(HttpProtocols.Http1AndHttp2, false, true, "json", "HTTP/1.1")]
    [InlineData(HttpProtocols.Http1AndHttp2, true, false, "json", "HTTP/1.1")]
    public async Task Call_GoesInTheVersionTheServerOffersAndTheSettingAllows(HttpProtocols offered, bool tls, bool http2, string mode, string expected)
    {
        var server = await StartAsync(offered, tls);

        var answer = await CallAsync(server, mode, http2);

        Assert.Equal(expected, answer.Protocol);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, Concurrent)]
    public async Task CallsInFlightTogether_ShareOneConnection_InHttp2(bool http2, int connections)
    {
        // The server holds every call until all of them have arrived: they are in flight together.
        var server = await StartAsync(HttpProtocols.Http1AndHttp2, tls: true);
        using var handler = LoopbackCertificate.TrustingHandler(_certificate);
        var sender = Sender(handler, server, "held", http2);

        var answers = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => SendAsync(sender)));

        Assert.All(answers, answer => Assert.Equal(http2 ? "HTTP/2" : "HTTP/1.1", answer.Protocol));
        Assert.Equal(connections, answers.Select(answer => answer.Connection).Distinct().Count());
    }

    private async Task<Uri> StartAsync(HttpProtocols protocols, bool tls)
    {
        var builder = LoopbackWebHost.CreateBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            if (tls)
            {
                listen.UseHttps(_certificate);
            }
        }));
        var app = builder.Build();
        _apps.Add(app);
        app.MapPost("/{mode}", async (HttpContext context, string mode) =>
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body);
            var id = request.RootElement.GetProperty("id").GetString();
            if (mode == "held" && Interlocked.Increment(ref _held) == Concurrent)
            {
                _allArrived.TrySetResult();
            }

            if (mode == "held")
            {
                await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }

            var answer = $$$"""{"jsonrpc":"2.0","id":"{{{id}}}","result":{"protocol":"{{{context.Request.Protocol}}}","connection":"{{{context.Connection.Id}}}"}}""";
            if (mode == "sse")
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync($"data: {answer}\n\n");
            }
            else
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(answer);
            }
        });
        var address = await LoopbackWebHost.StartAsync(app, CancellationToken.None);
        // Kestrel reports the scheme it listens with.
        return new Uri(LoopbackWebHost.Format(address) + "/");
    }

    private async Task<(string Protocol, string Connection)> CallAsync(Uri server, string mode, bool http2)
    {
        using var handler = LoopbackCertificate.TrustingHandler(_certificate);
        return await SendAsync(Sender(handler, server, mode, http2));
    }

    private static DirectRequestSender Sender(HttpMessageHandler handler, Uri server, string mode, bool http2) =>
        new(handler, new Uri(server, mode), "session-1", "2025-11-25", _ => { }, http2);

    private static async Task<(string Protocol, string Connection)> SendAsync(DirectRequestSender sender)
    {
        var result = await sender.SendAsync(sender.NextId(), "tools/call", Encoding.UTF8.GetBytes("""{"name":"where"}"""), "where", CancellationToken.None);
        Assert.Equal(UpstreamOutcome.Success, result.Outcome);
        using var json = JsonDocument.Parse(result.ResultJson!);
        return (json.RootElement.GetProperty("protocol").GetString()!, json.RootElement.GetProperty("connection").GetString()!);
    }
}
