using McpGrains.Configuration;
using McpGrains.Grains.Sessions;
using McpGrains.Grains.Upstream;
using McpGrains.OAuth;
using McpGrains.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpGrains.Grains;

public static class McpGrainsSiloServiceCollectionExtensions
{
    /// <summary>What the grains need in a silo: validated options, secret protection and the OAuth client.</summary>
    public static IServiceCollection AddMcpGrainsSilo(this IServiceCollection services)
    {
        services.AddMcpGrainsOptions();
        services.AddMcpGrainsOAuthClient();
        services.AddMcpGrainsMetrics();
        services.TryAddTransient<SessionServices>();
        services.AddOptions<OAuthHttpOptions>()
            .Configure<IOptions<McpGrainsOptions>>((http, options) =>
            {
                http.AllowInsecureLoopback = options.Value.Security.AllowInsecureLoopback;
                http.AllowedPrivateNetworks = PrivateNetworkRanges.ParseValid(options.Value.Security.AllowedPrivateNetworks);
            });

        // The MCP transport gets the same address guard as OAuth traffic: the upstream URL is operator-configured, but
        // a legacy SSE server names the URL its messages go to, and DNS can change under any name.
        services.AddHttpClient(UpstreamHttp.ClientName).AddUpstreamAddressGuard();
        return services;
    }
}
