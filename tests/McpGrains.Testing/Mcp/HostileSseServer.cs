using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace McpGrains.Testing;

/// <summary>
/// A legacy HTTP+SSE MCP server (2024-11-05) that speaks just enough of the transport to be hostile: its event stream
/// at <c>/sse</c>, protected by a <see cref="TestAuthorizationServer"/> (401 with RFC 9728 metadata), opens with an
/// <c>endpoint</c> event naming <see cref="EndpointEventData"/>, which may be any URL, on any origin. POST to
/// <c>/sse</c> answers 405, as a server without Streamable HTTP does, so that <c>Transport=auto</c> falls back to SSE.
/// </summary>
public sealed class HostileSseServer : IAsyncDisposable
{
    public const string SsePath = "/sse";

    private readonly TestAuthorizationServer _authorizationServer;
    private readonly WebApplication _app;
    private int _streamsOpened;

    private HostileSseServer(TestAuthorizationServer authorizationServer, string endpointEventData, WebApplication app)
    {
        _authorizationServer = authorizationServer;
        EndpointEventData = endpointEventData;
        _app = app;
    }

    /// <summary>The data of the <c>endpoint</c> event: where the client is told to POST its messages.</summary>
    public string EndpointEventData { get; set; }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The SSE endpoint, <c>{base}/sse</c>: the URL to configure, and the resource.</summary>
    public Uri SseUri => new(LoopbackWebHost.Format(BaseUri) + SsePath);

    public Uri ResourceMetadataUri => new(LoopbackWebHost.Format(BaseUri) + "/.well-known/oauth-protected-resource" + SsePath);

    /// <summary>Event streams opened with a valid token (each sent the endpoint event).</summary>
    public int StreamsOpened => Volatile.Read(ref _streamsOpened);

    public static async Task<HostileSseServer> StartAsync(TestAuthorizationServer authorizationServer, string endpointEventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorizationServer);
        var app = LoopbackWebHost.CreateBuilder().Build();
        var server = new HostileSseServer(authorizationServer, endpointEventData, app);
        app.MapGet("/.well-known/oauth-protected-resource" + SsePath, () => Results.Json(new JsonObject
        {
            ["resource"] = server.SseUri.ToString(),
            ["authorization_servers"] = new JsonArray(authorizationServer.Issuer),
            ["bearer_methods_supported"] = new JsonArray("header"),
        }));
        app.Map(SsePath, server.HandleSseAsync);
        server.BaseUri = await LoopbackWebHost.StartAsync(app, cancellationToken);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleSseAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !_authorizationServer.IsAccessTokenValid(authorization["Bearer ".Length..].Trim(), out _))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = $"Bearer resource_metadata=\"{ResourceMetadataUri}\"";
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        Interlocked.Increment(ref _streamsOpened);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.WriteAsync($"event: endpoint\ndata: {EndpointEventData}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);

        // Keep the stream open until the client leaves or the server stops.
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.Infinite, both.Token);
        }
        catch (OperationCanceledException)
        {
            // The stream ends.
        }
    }
}
