using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace McpGrains.OAuth;

public static class OAuthClientServiceCollectionExtensions
{
    private const string UserAgent = "McpGrains-OAuth/1.0";

    /// <summary>
    /// Registers the typed, SSRF-guarded HttpClients <see cref="OAuthMetadataClient"/>, <see cref="McpAuthorizationDiscovery"/>,
    /// <see cref="ClientRegistrar"/> and <see cref="TokenClient"/>, plus <see cref="UpstreamAddressPolicy"/> and
    /// <see cref="TimeProvider.System"/> (both TryAdd, so tests can swap them).
    /// </summary>
    public static IServiceCollection AddMcpGrainsOAuthClient(this IServiceCollection services, Action<OAuthHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<OAuthHttpOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Timeout > TimeSpan.Zero && o.MaxResponseBytes > 0, "OAuthHttpOptions: Timeout and MaxResponseBytes must be positive.");

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new UpstreamAddressPolicy(
            sp.GetRequiredService<IOptions<OAuthHttpOptions>>().Value,
            sp.GetService<ILogger<UpstreamAddressPolicy>>()));

        AddGuardedClient<OAuthMetadataClient>(services);
        AddGuardedClient<McpAuthorizationDiscovery>(services);
        AddGuardedClient<ClientRegistrar>(services);
        AddGuardedClient<TokenClient>(services);
        return services;
    }

    /// <summary>
    /// Puts a client behind the SSRF guard: the scheme check (<see cref="UpstreamAddressPolicy.IsUriAllowed"/>) before
    /// sending, and the resolve-then-connect address check of <see cref="UpstreamAddressPolicy.CreateHandler"/>
    /// (redirects, proxy and cookies off). Needs <see cref="AddMcpGrainsOAuthClient"/> (the policy).
    /// </summary>
    public static IHttpClientBuilder AddUpstreamAddressGuard(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddTransient<UpstreamRequestGuard>();
        return builder
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<UpstreamAddressPolicy>().CreateHandler())
            .AddHttpMessageHandler<UpstreamRequestGuard>();
    }

    private static void AddGuardedClient<TClient>(IServiceCollection services)
        where TClient : class
    {
        services.AddHttpClient<TClient>()
            .ConfigureHttpClient((sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<OAuthHttpOptions>>().Value;
                client.Timeout = o.Timeout;
                client.MaxResponseContentBufferSize = o.MaxResponseBytes;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            })
            .AddUpstreamAddressGuard();
    }
}
