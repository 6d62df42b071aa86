using McpGrains.Configuration;
using McpGrains.Gateway.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using Orleans;

namespace McpGrains.Gateway.Mcp;

/// <summary>
/// Creates a <see cref="DownstreamSession"/> with its proxy handlers when the SDK starts a session (once per
/// initialize-handshake session, once per request for 2026-07-28 clients) and keeps stateful sessions in the
/// <see cref="DownstreamSessionRegistry"/> while they run.
/// </summary>
internal sealed class DownstreamSessionFactory
{
    private static readonly object SessionItem = new();

    private readonly IGrainFactory _grains;
    private readonly DownstreamSessionRegistry _registry;
    private readonly ProgressTokenMap _progress;
    private readonly IOptions<McpGrainsOptions> _options;
    private readonly ILogger _logger;
    private long _next;

    public DownstreamSessionFactory(
        IGrainFactory grains,
        DownstreamSessionRegistry registry,
        ProgressTokenMap progress,
        IOptions<McpGrainsOptions> options,
        ILoggerFactory loggerFactory)
    {
        _grains = grains;
        _registry = registry;
        _progress = progress;
        _options = options;
        _logger = loggerFactory.CreateLogger(DownstreamMcpLog.Category);
    }

    public Task ConfigureSessionAsync(HttpContext context, McpServerOptions options, CancellationToken cancellationToken)
    {
        var key = DownstreamRequestGate.GetSessionKey(context);
        var session = new DownstreamSession(key, "d" + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture), DownstreamRequestGate.GetUserLabel(context), DownstreamRequestGate.GetUserIdentity(context))
        {
            IdentityAssertion = DownstreamRequestGate.GetIdentityAssertion(context),
        };
        var displayName = _options.Value.ServerDisplayName(key.ServerId);
        var proxy = new DownstreamMcpProxy(session, _grains.GetGrain<IMcpSessionGrain>(key.Format()), _registry, _progress, displayName, _logger);
        proxy.Configure(options);
        options.ServerInfo = new() { Name = "McpGrains", Title = displayName, Version = "1.0.0" };
        context.Items[SessionItem] = session;
        return Task.CompletedTask;
    }

    public async Task RunSessionAsync(HttpContext context, McpServer server, CancellationToken cancellationToken)
    {
        if (server.SessionId is null || context.Items[SessionItem] is not DownstreamSession session)
        {
            // A stateless (2026-07-28) request: nothing can be pushed to it, so no observer.
            await server.RunAsync(cancellationToken);
            return;
        }

        // Claimed before the first await, while the initialize request is still running.
        var lease = DownstreamRequestGate.TakeSessionLease(context);
        try
        {
            session.Server = server;
            await _registry.AddAsync(session, cancellationToken);
            try
            {
                await server.RunAsync(cancellationToken);
            }
            finally
            {
                await _registry.RemoveAsync(session);
            }
        }
        finally
        {
            lease?.Release();
        }
    }
}
