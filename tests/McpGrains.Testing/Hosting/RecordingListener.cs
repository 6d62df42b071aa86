using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Testing;

/// <summary>
/// A loopback HTTP listener that answers every request with 202 and records it (method, path, Authorization header):
/// the "other origin" of a hostile upstream, where nothing of the user's must ever arrive.
/// </summary>
public sealed class RecordingListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _sync = new();
    private readonly List<RecordedHit> _hits = [];

    private RecordingListener(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234 (another origin than any other fixture).</summary>
    public Uri BaseUri { get; private set; } = null!;

    public IReadOnlyList<RecordedHit> Hits
    {
        get
        {
            lock (_sync)
            {
                return [.. _hits];
            }
        }
    }

    public static async Task<RecordingListener> StartAsync(CancellationToken cancellationToken = default)
    {
        var app = LoopbackWebHost.CreateBuilder().Build();
        var listener = new RecordingListener(app);
        app.Run(listener.RecordAsync);
        listener.BaseUri = await LoopbackWebHost.StartAsync(app, cancellationToken);
        return listener;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task RecordAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        lock (_sync)
        {
            _hits.Add(new RecordedHit(context.Request.Method, context.Request.Path.ToString(), authorization.Length == 0 ? null : authorization));
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        return Task.CompletedTask;
    }
}
