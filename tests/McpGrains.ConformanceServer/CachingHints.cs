using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGrains.ConformanceServer;

/// <summary>
/// Caching hints (SEP-2549) on every cacheable result: this server's lists and resources are the same for every
/// caller, so they are public for a few minutes.
/// </summary>
internal static class CachingHints
{
    private static readonly TimeSpan ListLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ReadLifetime = TimeSpan.FromMinutes(1);

    public static void Add(IMcpRequestFilterBuilder filters) => filters
        .AddListToolsFilter(next => async (context, cancellationToken) => Hint(await next(context, cancellationToken), ListLifetime))
        .AddListPromptsFilter(next => async (context, cancellationToken) => Hint(await next(context, cancellationToken), ListLifetime))
        .AddListResourcesFilter(next => async (context, cancellationToken) => Hint(await next(context, cancellationToken), ListLifetime))
        .AddListResourceTemplatesFilter(next => async (context, cancellationToken) => Hint(await next(context, cancellationToken), ListLifetime))
        .AddReadResourceFilter(next => async (context, cancellationToken) => Hint(await next(context, cancellationToken), ReadLifetime));

    private static T Hint<T>(T result, TimeSpan lifetime)
        where T : ICacheableResult
    {
        result.TimeToLive = lifetime;
        result.CacheScope = CacheScope.Public;
        return result;
    }
}
