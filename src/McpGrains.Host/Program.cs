using McpGrains.Configuration;
using McpGrains.Gateway;
using McpGrains.Gateway.Endpoints;
using McpGrains.Host;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

if (args.Length > 0 && args[0] == MigrateCommand.Name)
{
    using var loggers = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddConsole());
    return await MigrateCommand.RunAsync(builder.Configuration, loggers, CancellationToken.None);
}

if (args.Length > 0 && args[0] == ReencryptCommand.Name)
{
    return await ReencryptCommand.RunAsync(args, CancellationToken.None);
}

var role = HostRoles.Read(builder.Configuration);
builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpGrainsOptions>, DevelopmentSettingsValidator>());
builder.AddMcpGrainsCluster(role);
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

await app.RunAsync();
return 0;

/// <summary>The entry point, public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
