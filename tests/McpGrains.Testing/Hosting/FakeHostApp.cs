using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace McpGrains.Testing;

/// <summary>
/// A host app as binding mode host-verification expects it, on loopback Kestrel: people sign in to it
/// (<c>GET /{hostApp}/login?user=...</c> sets its own session cookie), and its verification page
/// (<c>GET /{hostApp}/verify?mcpgrains_flow=...</c>) confirms the flow at McpGrains for whoever is signed in in that
/// browser, with the host app's key, and shows McpGrains' answer. A browser without its cookie is not confirmed for anyone.
/// </summary>
public sealed class FakeHostApp : IAsyncDisposable
{
    public const string SessionCookie = "fake-host-session";

    private readonly ConcurrentDictionary<string, string> _hostKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string HostApp, string User, int Status)> _confirmations = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private WebApplication? _app;

    private FakeHostApp()
    {
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Where McpGrains listens; set once it runs (its port is chosen after this app starts).</summary>
    public Uri? McpGrains { get; set; }

    /// <summary>Every confirmation this app sent: host app, user and McpGrains' status code.</summary>
    public IReadOnlyList<(string HostApp, string User, int Status)> Confirmations => [.. _confirmations];

    public static async Task<FakeHostApp> StartAsync(CancellationToken cancellationToken = default)
    {
        var host = new FakeHostApp();
        var app = LoopbackWebHost.CreateBuilder().Build();
        host._app = app;
        app.MapGet("/{hostApp}/login", (string hostApp, string user, HttpContext context) =>
        {
            context.Response.Cookies.Append(SessionCookie, user, new CookieOptions { HttpOnly = true, Path = "/" + hostApp });
            return Results.Text($"Signed in to {hostApp} as {user}.");
        });
        app.MapGet("/{hostApp}/verify", host.VerifyAsync);
        host.BaseUri = await LoopbackWebHost.StartAsync(app, cancellationToken);
        return host;
    }

    /// <summary>Makes <paramref name="hostApp"/> a host app of this fake, with its McpGrains key; its verification URL.</summary>
    public Uri AddHostApp(string hostApp, string hostKey)
    {
        _hostKeys[hostApp] = hostKey;
        return VerificationUrl(hostApp);
    }

    public Uri VerificationUrl(string hostApp) => new(BaseUri, $"/{hostApp}/verify");

    public Uri LoginUrl(string hostApp, string user) => new(BaseUri, $"/{hostApp}/login?user={Uri.EscapeDataString(user)}");

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private async Task<IResult> VerifyAsync(string hostApp, HttpContext context)
    {
        var flow = context.Request.Query["mcpgrains_flow"].ToString();
        if (!context.Request.Cookies.TryGetValue(SessionCookie, out var user) || string.IsNullOrEmpty(user))
        {
            return Results.Text("Not signed in: nothing confirmed.", statusCode: StatusCodes.Status401Unauthorized);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(McpGrains!, $"/api/v1/authorizations/{Uri.EscapeDataString(flow)}/confirm"))
        {
            Content = JsonContent.Create(new { userId = user }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _hostKeys[hostApp]);
        using var response = await _http.SendAsync(request, context.RequestAborted);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(context.RequestAborted);
        _confirmations.Enqueue((hostApp, user, (int)response.StatusCode));
        // The page shows McpGrains' answer, with its status, as the host app's own page would say what happened.
        return Results.Json(body, statusCode: (int)response.StatusCode);
    }
}
