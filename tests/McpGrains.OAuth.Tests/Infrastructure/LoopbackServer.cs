using System.Collections.Concurrent;
using McpGrains.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace McpGrains.OAuth.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on http://127.0.0.1:0 (<see cref="LoopbackWebHost"/>), one per test class. Tests set routes ("METHOD /path" or "/path") and
/// read back every request received. xunit runs the tests of one class sequentially, so routes do not interfere.
/// </summary>
public sealed class LoopbackServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>host:port, as used in URLs.</summary>
    public string Authority => BaseUri.Authority;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public string Url(string path) => BaseUri.GetLeftPart(UriPartial.Authority) + path;

    public void Reset()
    {
        _routes.Clear();
        _requests.Clear();
    }

    public void Map(string route, Func<HttpContext, Task> handler) => _routes[route] = handler;

    public void MapJson(string route, string json, int statusCode = 200) => Map(route, async context =>
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    });

    public void MapStatus(string route, int statusCode, string? wwwAuthenticate = null) => Map(route, context =>
    {
        context.Response.StatusCode = statusCode;
        if (wwwAuthenticate is not null)
        {
            context.Response.Headers.WWWAuthenticate = wwwAuthenticate;
        }

        return Task.CompletedTask;
    });

    public async Task InitializeAsync()
    {
        _app = LoopbackWebHost.CreateBuilder().Build();
        _app.Run(HandleAsync);
        BaseUri = await LoopbackWebHost.StartAsync(_app, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var path = context.Request.Path.Value ?? "/";
        _requests.Enqueue(new RecordedRequest(context.Request.Method, path, context.Request.QueryString.Value ?? string.Empty, headers, body));

        if (_routes.TryGetValue(context.Request.Method + " " + path, out var handler) || _routes.TryGetValue(path, out handler))
        {
            await handler(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
