using McpGrains.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpGrains.Configuration;

public static class McpGrainsOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the <c>McpGrains</c> section (at start-up, after checking that every key under it can be
    /// bound: see <see cref="McpGrainsConfigurationCheck"/>) and registers what every node kind needs from
    /// it: the key ring, the secret protector and the codecs of the OAuth state and the sign-in tickets.
    /// </summary>
    public static IServiceCollection AddMcpGrainsOptions(this IServiceCollection services)
    {
        services.AddOptions<McpGrainsOptions>()
            .BindMcpGrainsConfiguration(McpGrainsOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpGrainsOptions>, McpGrainsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var security = sp.GetRequiredService<IOptions<McpGrainsOptions>>().Value.Security;
            return new KeyRing(security.Keys, security.ActiveKeyId!);
        });
        services.TryAddSingleton<ISecretProtector>(sp => new AesGcmSecretProtector(sp.GetRequiredService<KeyRing>()));
        services.TryAddSingleton(sp => new AuthorizationStateCodec(sp.GetRequiredService<KeyRing>()));
        services.TryAddSingleton(sp => new SignInTicketCodec(sp.GetRequiredService<KeyRing>()));
        services.TryAddSingleton(sp => new VerificationFlowCodec(sp.GetRequiredService<KeyRing>()));
        services.TryAddSingleton(sp => new ReturnUrlAllowList(sp.GetRequiredService<IOptions<McpGrainsOptions>>().Value.Security.AllowedReturnUrls));
        return services;
    }
}
