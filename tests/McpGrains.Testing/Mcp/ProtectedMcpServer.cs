using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGrains.Testing;

/// <summary>
/// A real MCP server (Streamable HTTP at <c>/mcp</c>) on loopback Kestrel whose bearer tokens are checked against a
/// <see cref="TestAuthorizationServer"/>, serving RFC 9728 protected-resource metadata. Tools: <c>echo</c>, <c>whoami</c>, and
/// <c>gather</c>, which answers only once <c>count</c> calls of the same <c>group</c> are in flight together (so a test can
/// show that calls overlap rather than queue); with <see cref="ProtectedMcpServerOptions.HoldRespondCalls"/>, <c>respond</c>
/// (see <see cref="HeldAnswers"/>).
/// </summary>
public sealed class ProtectedMcpServer : IAsyncDisposable
{
    public const string McpPath = "/mcp";
    public const string SubjectClaim = "sub";

    private TestAuthorizationServer? _authorizationServer;
    private readonly ProtectedMcpServerOptions _options;
    private readonly Lock _sync = new();
    private readonly List<string> _receivedMethods = [];
    private readonly List<(string Method, string Protocol, string Connection)> _requestProtocols = [];
    private WebApplication? _app;
    private int _authenticatedRequestCount;
    private int _unauthorizedRequestCount;
    private int _forbiddenRequestCount;
    private int _sessionsInitialized;
    private int _toolCallCount;
    private int _dpopRequestCount;
    private int _refusedDpopRequestCount;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Gathering> _gatherings = new(StringComparer.Ordinal);

    /// <summary>How long a <c>gather</c> call waits for the rest of its group before it answers that it was left alone.</summary>
    public static readonly TimeSpan GatherTimeout = TimeSpan.FromSeconds(15);

    private ProtectedMcpServer(TestAuthorizationServer? authorizationServer, ProtectedMcpServerOptions options)
    {
        if (options.RequireAuthorization && authorizationServer is null)
        {
            throw new ArgumentNullException(nameof(authorizationServer), "A protected MCP server needs an authorization server.");
        }

        _authorizationServer = authorizationServer;
        _options = options;
    }

    /// <summary>Base address of the Kestrel host, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>The MCP endpoint, <c>{base}/mcp</c>; also the canonical resource identifier.</summary>
    public Uri McpUri { get; private set; } = null!;

    /// <summary>Canonical resource URI as a string (what clients must send as RFC 8707 <c>resource</c>).</summary>
    public string Resource => LoopbackWebHost.Format(BaseUri) + McpPath;

    /// <summary>Path-inserted RFC 9728 metadata URL, <c>{base}/.well-known/oauth-protected-resource/mcp</c>.</summary>
    public Uri ResourceMetadataUri => new(LoopbackWebHost.Format(BaseUri) + "/.well-known/oauth-protected-resource" + McpPath);

    public Uri RootResourceMetadataUri => new(LoopbackWebHost.Format(BaseUri) + "/.well-known/oauth-protected-resource");

    public ProtectedMcpServerOptions Options => _options;

    /// <summary>The held <c>respond</c> calls (see <see cref="ProtectedMcpServerOptions.HoldRespondCalls"/>).</summary>
    public HeldAnswers HeldAnswers { get; } = new();

    /// <summary>Requests to /mcp that carried a valid token (every POST, GET and DELETE counts).</summary>
    public int AuthenticatedRequestCount => Volatile.Read(ref _authenticatedRequestCount);

    public int UnauthorizedRequestCount => Volatile.Read(ref _unauthorizedRequestCount);

    public int ForbiddenRequestCount => Volatile.Read(ref _forbiddenRequestCount);

    /// <summary>
    /// Handshakes handled: <c>initialize</c> (up to 2025-11-25) or <c>server/discover</c> (2026-07-28, which the SDK
    /// client prefers). <see cref="ReceivedMethods"/> tells them apart.
    /// </summary>
    public int SessionsInitialized => Volatile.Read(ref _sessionsInitialized);

    public int ToolCallCount => Volatile.Read(ref _toolCallCount);

    /// <summary>The JSON-RPC id of the last <c>echo</c> call, as the client sent it (a number or a string).</summary>
    public string? LastEchoRequestId => Volatile.Read(ref _lastToolCallId);

    private string? _lastToolCallId;

    /// <summary>The <c>_meta</c> of the last <c>echo</c> call as the server received it (null: none).</summary>
    public string? LastEchoMeta => Volatile.Read(ref _lastEchoMeta);

    private string? _lastEchoMeta;

    /// <summary>Requests whose DPoP-bound token came with a valid proof of its key.</summary>
    public int DpopRequestCount => Volatile.Read(ref _dpopRequestCount);

    /// <summary>Requests refused because a DPoP-bound token came without a valid proof of its key (or as a Bearer token).</summary>
    public int RefusedDpopRequestCount => Volatile.Read(ref _refusedDpopRequestCount);

    /// <summary>
    /// Over https (<see cref="ProtectedMcpServerOptions.Certificate"/>): the JSON-RPC method of every POST to the MCP
    /// path with the HTTP version and the connection it came in, in order.
    /// </summary>
    public IReadOnlyList<(string Method, string Protocol, string Connection)> RequestProtocols
    {
        get
        {
            lock (_sync)
            {
                return [.. _requestProtocols];
            }
        }
    }

    /// <summary>JSON-RPC request and notification methods received, in order (e.g. initialize, tools/list).</summary>
    public IReadOnlyList<string> ReceivedMethods
    {
        get
        {
            lock (_sync)
            {
                return [.. _receivedMethods];
            }
        }
    }

    public static async Task<ProtectedMcpServer> StartAsync(
        TestAuthorizationServer? authorizationServer,
        ProtectedMcpServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var server = new ProtectedMcpServer(authorizationServer, options ?? new ProtectedMcpServerOptions());
        try
        {
            await server.StartCoreAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Moves this server to another authorization server, as a provider migration does: from now on its metadata names
    /// <paramref name="next"/> and only tokens issued by <paramref name="next"/> are accepted (a 401 challenge answers the others).
    /// </summary>
    public void SwitchAuthorizationServer(TestAuthorizationServer next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Volatile.Write(ref _authorizationServer, next);
    }

    /// <summary>Starts an MCP server without any authorization.</summary>
    public static Task<ProtectedMcpServer> StartUnprotectedAsync(CancellationToken cancellationToken = default) =>
        StartAsync(null, new ProtectedMcpServerOptions { RequireAuthorization = false }, cancellationToken);

    /// <summary>The RFC 9728 document this server serves.</summary>
    public JsonObject BuildResourceMetadata()
    {
        var authorizationServer = Volatile.Read(ref _authorizationServer);
        var scopes = _options.ScopesSupported ?? authorizationServer?.Options.ScopesSupported ?? [];
        var metadata = new JsonObject
        {
            ["resource"] = _options.AdvertisedResourceOverride ?? Resource,
            ["authorization_servers"] = new JsonArray(authorizationServer?.Issuer),
            ["bearer_methods_supported"] = new JsonArray("header"),
            ["resource_name"] = "McpGrains test MCP server",
        };
        if (scopes.Count > 0)
        {
            metadata["scopes_supported"] = new JsonArray([.. scopes.Select(scope => (JsonNode?)JsonValue.Create(scope))]);
        }

        return metadata;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public override string ToString() => $"ProtectedMcpServer {{ McpUri = {McpUri} }}";

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var builder = LoopbackWebHost.CreateBuilder();
        if (_options.Certificate is { } certificate)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            }));
        }

        builder.Services
            .AddMcpServer(options => options.ServerInfo = new Implementation { Name = "mcpgrains-test-server", Version = "1.0.0" })
            .WithHttpTransport(options => options.Stateless = !_options.Stateful)
            .WithTools(CreateTools())
            .WithMessageFilters(filters => filters.AddIncomingFilter(next => async (context, token) =>
            {
                var method = context.JsonRpcMessage switch
                {
                    JsonRpcRequest request => request.Method,
                    JsonRpcNotification notification => notification.Method,
                    _ => null,
                };
                if (method is not null)
                {
                    lock (_sync)
                    {
                        _receivedMethods.Add(method);
                    }
                }

                if (method is RequestMethods.Initialize or RequestMethods.ServerDiscover)
                {
                    Interlocked.Increment(ref _sessionsInitialized);
                }

                await next(context, token);
            }));

        var app = builder.Build();
        _app = app;
        if (_options.Certificate is not null)
        {
            app.Use(RecordProtocolAsync);
        }
        if (_options.RequireAuthorization)
        {
            app.Use(AuthenticateAsync);
            if (_options.ServePathMetadata)
            {
                app.MapGet("/.well-known/oauth-protected-resource" + McpPath, () => Results.Json(BuildResourceMetadata()));
            }

            if (_options.ServeRootMetadata)
            {
                app.MapGet("/.well-known/oauth-protected-resource", () => Results.Json(BuildResourceMetadata()));
            }
        }

        app.MapMcp(McpPath);
        BaseUri = await LoopbackWebHost.StartAsync(app, cancellationToken);
        McpUri = new Uri(Resource);
    }

    private async Task RecordProtocolAsync(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path == McpPath)
        {
            context.Request.EnableBuffering();
            string method;
            try
            {
                using var body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                method = body.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && body.RootElement.TryGetProperty("method", out var name) ? name.GetString() ?? "" : "";
            }
            catch (System.Text.Json.JsonException)
            {
                method = "";
            }

            context.Request.Body.Position = 0;
            lock (_sync)
            {
                _requestProtocols.Add((method, context.Request.Protocol, context.Connection.Id));
            }
        }

        await next(context);
    }

    private McpServerTool[] CreateTools() =>
        _options.HoldRespondCalls ? [.. CreateCommonTools(), CreateRespondTool()] : CreateCommonTools();

    private McpServerTool CreateRespondTool() =>
        McpServerTool.Create(
            (string group, int status) =>
            {
                Interlocked.Increment(ref _toolCallCount);
                return $"{status} passed";
            },
            new McpServerToolCreateOptions { Name = HeldAnswers.ToolName, Description = "Reached by a held call once its status was answered (see HeldAnswers)." });

    private McpServerTool[] CreateCommonTools() =>
    [
        McpServerTool.Create(
            (string message, RequestContext<CallToolRequestParams> request) =>
            {
                Interlocked.Increment(ref _toolCallCount);
                _lastToolCallId = request.JsonRpcRequest.Id.ToString();
                _lastEchoMeta = request.Params?.Meta?.ToJsonString();
                return message;
            },
            new McpServerToolCreateOptions { Name = "echo", Description = "Returns its message argument." }),
        McpServerTool.Create(
            (RequestContext<CallToolRequestParams> request) =>
            {
                Interlocked.Increment(ref _toolCallCount);
                return request.User?.FindFirst(SubjectClaim)?.Value ?? "anonymous";
            },
            new McpServerToolCreateOptions { Name = "whoami", Description = "Returns the subject of the bearer token." }),
        McpServerTool.Create(
            async (string group, int count, CancellationToken cancellationToken) =>
            {
                Interlocked.Increment(ref _toolCallCount);
                var gathering = _gatherings.GetOrAdd(group, _ => new Gathering());
                return await gathering.ArriveAsync(count, GatherTimeout, cancellationToken) ? $"{count} together" : $"left alone after {GatherTimeout.TotalSeconds:F0} s";
            },
            new McpServerToolCreateOptions { Name = "gather", Description = "Answers once count calls of the same group are in flight together." }),
    ];

    /// <summary>Completes once <paramref name="arrived"/> <c>gather</c> calls of <paramref name="group"/> have reached the tool.</summary>
    public Task WaitForGatheredAsync(string group, int arrived, CancellationToken cancellationToken = default) =>
        _gatherings.GetOrAdd(group, _ => new Gathering()).WhenArrived(arrived).WaitAsync(cancellationToken);

    /// <summary>A group of <c>gather</c> calls: all are answered together once the last one arrives.</summary>
    private sealed class Gathering
    {
        private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource> _arrivals = new();
        private int _arrived;

        public Task WhenArrived(int arrived) => Arrival(arrived).Task;

        public async Task<bool> ArriveAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var arrived = Interlocked.Increment(ref _arrived);
            Arrival(arrived).TrySetResult();
            if (arrived >= count)
            {
                _complete.TrySetResult();
            }

            try
            {
                await _complete.Task.WaitAsync(timeout, cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        private TaskCompletionSource Arrival(int arrived) =>
            _arrivals.GetOrAdd(arrived, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    private async Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments(McpPath))
        {
            await next(context);
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        var dpopScheme = authorization.StartsWith("DPoP ", StringComparison.OrdinalIgnoreCase);
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && !dpopScheme)
        {
            Challenge(context, StatusCodes.Status401Unauthorized, error: null);
            return;
        }

        var token = authorization[(dpopScheme ? "DPoP ".Length : "Bearer ".Length)..].Trim();
        if (!Volatile.Read(ref _authorizationServer)!.IsAccessTokenValid(token, out var info) || !IsForThisResource(info.Resource))
        {
            Challenge(context, StatusCodes.Status401Unauthorized, "invalid_token");
            return;
        }

        if ((info.Jkt is not null || dpopScheme) && !await HasValidProofAsync(context, token, info, dpopScheme))
        {
            // RFC 9449 section 7.1: a bound token is worthless without a proof of its key (and never a Bearer token).
            Interlocked.Increment(ref _refusedDpopRequestCount);
            Challenge(context, StatusCodes.Status401Unauthorized, "invalid_token");
            return;
        }

        if (_options.RequiredScopes.Any(required => !info.Scopes.Contains(required, StringComparer.Ordinal)))
        {
            Challenge(context, StatusCodes.Status403Forbidden, "insufficient_scope", string.Join(' ', _options.RequiredScopes));
            return;
        }

        var called = _options.ToolRequiredScopes.Count > 0 || _options.HoldRespondCalls ? await CalledTool.ReadAsync(context.Request) : null;
        if (called is { } tool
            && _options.ToolRequiredScopes.TryGetValue(tool.Name, out var toolScopes)
            && toolScopes.Any(required => !info.Scopes.Contains(required, StringComparer.Ordinal)))
        {
            Challenge(context, StatusCodes.Status403Forbidden, "insufficient_scope", string.Join(' ', info.Scopes.Union(toolScopes, StringComparer.Ordinal)));
            return;
        }

        if (called is { Name: HeldAnswers.ToolName } held && _options.HoldRespondCalls
            && await HeldAnswers.PassAsync(held.Arguments, context.RequestAborted) is { } status)
        {
            switch (status)
            {
                case StatusCodes.Status401Unauthorized:
                    Challenge(context, status, "invalid_token");
                    break;
                case StatusCodes.Status403Forbidden:
                    Challenge(context, status, "insufficient_scope", string.Join(' ', info.Scopes.Append("mcp:write").Distinct(StringComparer.Ordinal)));
                    break;
                default:
                    context.Response.StatusCode = status;
                    break;
            }

            return;
        }

        Interlocked.Increment(ref _authenticatedRequestCount);
        context.User = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(SubjectClaim, info.Subject),
                new Claim("client_id", info.ClientId),
                new Claim("scope", string.Join(' ', info.Scopes)),
            ],
            authenticationType: "Bearer",
            nameType: SubjectClaim,
            roleType: null));
        await next(context);
    }

    private async Task<bool> HasValidProofAsync(HttpContext context, string token, AccessTokenInfo info, bool dpopScheme)
    {
        if (!dpopScheme || info.Jkt is null)
        {
            return false;
        }

        var request = context.Request;
        var target = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}");
        var now = Volatile.Read(ref _authorizationServer)!.Options.TimeProvider.GetUtcNow();
        var (thumbprint, _, _) = await DpopProofValidator.ValidateAsync(request.Headers["DPoP"].ToString(), request.Method, target, token, now);
        if (thumbprint != info.Jkt)
        {
            return false;
        }

        Interlocked.Increment(ref _dpopRequestCount);
        return true;
    }

    private bool IsForThisResource(string? tokenResource) =>
        tokenResource is null
            ? _options.AcceptTokensWithoutResource
            : string.Equals(tokenResource.TrimEnd('/'), _options.AdvertisedResourceOverride ?? Resource, StringComparison.Ordinal);

    private void Challenge(HttpContext context, int statusCode, string? error, string? scope = null)
    {
        if (statusCode == StatusCodes.Status401Unauthorized)
        {
            Interlocked.Increment(ref _unauthorizedRequestCount);
        }
        else
        {
            Interlocked.Increment(ref _forbiddenRequestCount);
        }

        var parameters = new List<string>();
        if (!_options.OmitResourceMetadataInChallenge)
        {
            parameters.Add($"resource_metadata=\"{ResourceMetadataUri}\"");
        }

        if (error is not null)
        {
            parameters.Add($"error=\"{error}\"");
        }

        scope ??= _options.ChallengeScope;
        if (scope is not null)
        {
            parameters.Add($"scope=\"{scope}\"");
        }

        context.Response.StatusCode = statusCode;
        context.Response.Headers.WWWAuthenticate = parameters.Count == 0 ? "Bearer" : "Bearer " + string.Join(", ", parameters);
    }
}
