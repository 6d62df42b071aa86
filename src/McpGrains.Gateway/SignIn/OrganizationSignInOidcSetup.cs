using McpGrains.Configuration;
using McpGrains.Gateway.Logging;
using McpGrains.Gateway.Pages;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace McpGrains.Gateway.SignIn;

/// <summary>
/// The OpenID Connect handler of each host app in binding mode oidc: authorization code flow with PKCE, the response
/// in the query (so that its SameSite=Lax correlation and nonce cookies come back on the provider's top-level
/// redirect), the redirect URI under <c>PublicBaseUrl</c> (not the request's host, which a proxy may change), claims as
/// the provider names them, and a page that says why when the provider's answer is refused.
/// </summary>
internal sealed class OrganizationSignInOidcSetup(
    OrganizationSignIn signIn,
    BrowserCookiePolicy cookies,
    IOptions<McpGrainsOptions> options,
    ILoggerFactory loggers) : IConfigureNamedOptions<OpenIdConnectOptions>
{
    public void Configure(OpenIdConnectOptions options)
    {
    }

    public void Configure(string? name, OpenIdConnectOptions oidcOptions)
    {
        ArgumentNullException.ThrowIfNull(oidcOptions);
        if (!signIn.TryGetTenant(name, OrganizationSignIn.OidcSchemePrefix, out var tenantId, out var oidc))
        {
            return;
        }

        var settings = options.Value;
        oidcOptions.Authority = oidc.Authority;
        oidcOptions.ClientId = oidc.ClientId;
        oidcOptions.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
        oidcOptions.ResponseType = OpenIdConnectResponseType.Code;
        oidcOptions.ResponseMode = OpenIdConnectResponseMode.Query;
        oidcOptions.UsePkce = true;
        oidcOptions.Scope.Clear();
        foreach (var scope in oidc.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            oidcOptions.Scope.Add(scope);
        }

        oidcOptions.SignInScheme = OrganizationSignIn.SessionScheme(tenantId);
        oidcOptions.CallbackPath = OrganizationSignIn.CallbackPath(tenantId);
        oidcOptions.RequireHttpsMetadata = !settings.Security.AllowInsecureLoopback;
        oidcOptions.MapInboundClaims = false;
        oidcOptions.GetClaimsFromUserInfoEndpoint = false;
        oidcOptions.SaveTokens = false;
        oidcOptions.DisableTelemetry = true;
        oidcOptions.TokenValidationParameters.NameClaimType = oidc.Claim;
        oidcOptions.RemoteAuthenticationTimeout = settings.Authorization.PendingLifetime;
        foreach (var (cookie, baseName) in new[] { (oidcOptions.CorrelationCookie, "mcpgrains-oidc-correlation."), (oidcOptions.NonceCookie, "mcpgrains-oidc-nonce.") })
        {
            cookie.Name = cookies.Name(baseName);
            cookie.Path = cookies.Path;
            cookie.HttpOnly = true;
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = cookies.Secure ? CookieSecurePolicy.Always : CookieSecurePolicy.None;
        }

        var redirectUri = settings.PublicBaseUrl!.TrimEnd('/') + OrganizationSignIn.CallbackPath(tenantId);
        var logger = loggers.CreateLogger(GatewayLog.SignInCategory);
        var hostAppName = settings.HostAppDisplayName(tenantId);
        oidcOptions.Events = new OpenIdConnectEvents
        {
            OnRedirectToIdentityProvider = context =>
            {
                context.ProtocolMessage.RedirectUri = redirectUri;
                return Task.CompletedTask;
            },
            OnRemoteFailure = async context =>
            {
                // The failure's message may carry the provider's error text or a token: only its kind is logged.
                logger.SignInIdentityFailed(tenantId, context.Failure?.GetType().Name ?? "unknown");
                context.HandleResponse();
                await BrowserPages.OrganizationSignInFailed(hostAppName).ExecuteAsync(context.HttpContext);
            },
        };
    }
}
