using McpGrains.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace McpGrains.Gateway.Portal;

internal static class PortalServiceCollectionExtensions
{
    /// <summary>The connections page's services; it shares the sign-in pages' cookie policy and anti-forgery.</summary>
    public static IServiceCollection AddMcpGrainsPortal(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new PortalLinkCodec(sp.GetRequiredService<KeyRing>()));
        services.TryAddSingleton<PortalCookie>();
        services.TryAddSingleton<PortalLinks>();
        services.TryAddSingleton<PortalServices>();
        return services;
    }
}
