using McpGrains.Configuration;
using McpGrains.Gateway.Security;
using McpGrains.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpGrains.Gateway.SignIn;

internal static class SignInServiceCollectionExtensions
{
    public const string AntiforgeryCookieName = "mcpgrains-antiforgery";

    /// <summary>
    /// The sign-in pages' services: the cookie policy, the binding cookie, and ASP.NET Core's anti-forgery with its Data
    /// Protection backed by the key ring (<see cref="KeyRingDataProtector"/>), so that a confirmation page served by one
    /// front end can be submitted to any other. ASP.NET Core's anti-forgery rather than a double-submit token of our
    /// own: it is a maintained implementation (a cookie token and a form token that must pair, the cookie
    /// SameSite=Strict, so a cross-site form cannot press Continue), and the Data Protection over the key ring it needs
    /// is what the OpenID Connect handler of the strong binding mode needs too, for its correlation cookie and state.
    /// </summary>
    public static IServiceCollection AddMcpGrainsSignIn(this IServiceCollection services)
    {
        services.TryAddSingleton<BrowserCookiePolicy>();
        services.TryAddSingleton<BrowserBindingCookie>();
        services.TryAddSingleton<SignInEndpoints.SignInServices>();
        services.AddAntiforgery();
        services.AddOptions<AntiforgeryOptions>().Configure<BrowserCookiePolicy>((antiforgery, policy) =>
        {
            antiforgery.Cookie = new PublicUrlCookieBuilder(policy.Secure)
            {
                Name = policy.Name(AntiforgeryCookieName),
                Path = policy.Path,
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                IsEssential = true,
                SecurePolicy = CookieSecurePolicy.None,
            };
            antiforgery.HeaderName = null;
            // The pages send X-Frame-Options: DENY (and frame-ancestors 'none') themselves.
            antiforgery.SuppressXFrameOptionsHeader = true;
        });

        services.AddOrganizationSignIn();

        // AddAuthentication and AddAntiforgery register Data Protection with keys of its own per node; replace its
        // provider so that every front end protects and opens with the shared key ring.
        services.AddDataProtection();
        services.Replace(ServiceDescriptor.Singleton<IDataProtectionProvider>(sp => new KeyRingDataProtector(sp.GetRequiredService<KeyRing>())));
        return services;
    }

    /// <summary>
    /// Binding mode oidc: an OpenID Connect scheme and a session cookie scheme per host app in that mode, added when
    /// the authentication options are first read (the host apps come from the validated configuration), with ASP.NET
    /// Core's own post-configuration of both handlers (metadata retrieval, Data Protection of state and cookies).
    /// </summary>
    private static void AddOrganizationSignIn(this IServiceCollection services)
    {
        services.TryAddSingleton<OrganizationSignIn>();
        services.AddAuthentication();
        services.AddOptions<AuthenticationOptions>().Configure<OrganizationSignIn, IOptions<McpGrainsOptions>>((authentication, signIn, options) =>
        {
            foreach (var tenantId in options.Value.HostApps.Keys.Where(tenantId => signIn.For(tenantId) is not null))
            {
                authentication.AddScheme<OpenIdConnectHandler>(OrganizationSignIn.OidcScheme(tenantId), displayName: null);
                authentication.AddScheme<CookieAuthenticationHandler>(OrganizationSignIn.SessionScheme(tenantId), displayName: null);
            }
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<OpenIdConnectOptions>, OrganizationSignInOidcSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<CookieAuthenticationOptions>, OrganizationSignInSessionSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CookieAuthenticationOptions>, PostConfigureCookieAuthenticationOptions>());
    }
}
