using McpGrains.Configuration;
using McpGrains.Grains.Upstream;
using McpGrains.OAuth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains;

public static class McpGrainsSiloServiceCollectionExtensions
{
    /// <summary>What the grains need in a silo: validated options, secret protection and the OAuth client.</summary>
    public static IServiceCollection AddMcpGrainsSilo(this IServiceCollection services)
    {
        services.AddMcpGrainsOptions();
        services.AddMcpGrainsOAuthClient();
        services.AddOptions<OAuthHttpOptions>()
            .Configure<IOptions<McpGrainsOptions>>((http, options) => http.AllowInsecureLoopback = options.Value.Security.AllowInsecureLoopback);
        services.AddHttpClient(UpstreamHttp.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            });
        return services;
    }
}
