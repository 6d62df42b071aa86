using System.Text.Json;
using McpGrains.Configuration;
using McpGrains.Gateway.Authentication;
using McpGrains.Gateway.Endpoints;
using McpGrains.Gateway.Limits;
using McpGrains.Gateway.Mcp;
using McpGrains.Gateway.OpenApi;
using McpGrains.Gateway.Portal;
using McpGrains.Gateway.SignIn;
using McpGrains.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace McpGrains.Gateway;

public static class McpGrainsGatewayServiceCollectionExtensions
{
    /// <summary>The OpenAPI document name: served at <c>/openapi/v1.json</c>.</summary>
    public const string OpenApiDocumentName = "v1";

    /// <summary>
    /// Everything the front end needs: validated options, host app authentication, ProblemDetails, JSON, OpenAPI and
    /// health checks, and the downstream MCP endpoint. Needs an <see cref="Orleans.IGrainFactory"/> from a co-hosted silo or a cluster client.
    /// </summary>
    public static IServiceCollection AddMcpGrainsGateway(this IServiceCollection services)
    {
        services.AddMcpGrainsOptions();
        services.AddMcpGrainsMetrics();
        services.AddProblemDetails();
        services.AddExceptionHandler<SecretUnreadableExceptionHandler>();
        services.AddHealthChecks();
        services.AddOpenApi(OpenApiDocumentName, openApi => openApi.AddDocumentTransformer<HostAppSecurityDocumentTransformer>());
        services.ConfigureHttpJsonOptions(json =>
        {
            // Properties are camelCase; enum-like values (status, codes) are snake_case strings produced explicitly.
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.PropertyNameCaseInsensitive = true;
        });

        services.TryAddSingleton<HostAppKeys>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, HostAppAuthenticationHandler>(HostAppAuthentication.SchemeName, displayName: null, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(HostAppAuthentication.PolicyName, policy => policy
                .AddAuthenticationSchemes(HostAppAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(HostApp.TenantClaimType));

        services.AddDownstreamMcp();
        services.AddMcpGrainsSignIn();
        services.AddMcpGrainsPortal();
        services.AddMcpGrainsLimits();

        // The hosting diagnostics log every request URL at Information, and open a log scope holding the request path
        // for every request whenever the category is enabled at all; routing logs the path at Debug. The callback's URL
        // holds the code and the state, a sign-in link's path its ticket: these categories stay off (routing at
        // Information) whatever the configuration says.
        services.AddLogging(logging => logging
            .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None)
            .AddFilter("Microsoft.AspNetCore.Routing.Matching.DfaMatcher", LogLevel.Information)
            // Results log the URL they redirect to (Information): sign-in links, flow ids and provider URLs with state.
            .AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning)
            // The OpenID Connect handler logs the redirect with its state and nonce cookie (Debug), the sign-in link it
            // returns to (Trace) and the provider's error text and tokens it cannot read (Error): McpGrains logs its
            // failures itself (without them).
            .AddFilter("Microsoft.AspNetCore.Authentication.OpenIdConnect", LogLevel.None));
        return services;
    }
}
