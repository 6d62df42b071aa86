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
        // a legacy SSE server names the URL its messages go to, and DNS can change under any name. Without the factory's
        // request logging: it logs nothing at the shipped levels yet opens a log scope and two handlers on every
        // upstream call; McpGrains logs upstream failures itself, and traces cover the rest.
        // Every answer is read within McpGrains:Upstream:MaxResponseBytes.
        services.AddHttpClient(UpstreamHttp.ClientName).RemoveAllLoggers().AddUpstreamAddressGuard()
            .AddHttpMessageHandler(sp => new UpstreamResponseLimitHandler(sp.GetRequiredService<IOptions<McpGrainsOptions>>().Value.Upstream.MaxResponseBytes));
        return services;
    }
}
