using McpGrains.Configuration;
using McpGrains.Gateway;
using McpGrains.Gateway.Endpoints;
using McpGrains.Host.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace McpGrains.Host;

/// <summary>
/// The host's composition (silo, front end or both, as <c>McpGrains:Role</c> says, and the middleware and endpoints),
/// shared by the service and the demo command, so that the demo runs exactly what <c>dotnet run</c> runs.
/// </summary>
public static class HostApplication
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var role = HostRoles.Read(builder.Configuration);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpGrainsOptions>, DevelopmentSettingsValidator>());
        builder.AddMcpGrainsCluster(role);
        builder.AddMcpGrainsTelemetry();
        builder.Services.AddMcpGrainsHostHealth(builder.Configuration);
        if (role.HasFrontend())
        {
            builder.Services.AddMcpGrainsGateway();
            builder.Services.AddExceptionHandler<StorageUnavailableExceptionHandler>();
        }
        else
        {
            builder.Services.AddProblemDetails();
        }

        var app = builder.Build();

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (role.HasFrontend())
        {
            app.UseMcpGrainsGateway();
            app.MapMcpGrainsGateway();
        }
        else
        {
            app.MapGroup("/health").MapHealthEndpoints();
        }

        app.MapMcpGrainsMetrics();
        return app;
    }
}
