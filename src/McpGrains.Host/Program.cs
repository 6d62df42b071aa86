using McpGrains.Gateway;
using McpGrains.Host;

var builder = WebApplication.CreateBuilder(args);

builder.UseOrleans(silo => silo.UseMcpGrainsLocalSilo());

builder.Services.AddMcpGrainsGateway();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapMcpGrainsGateway();

app.Run();

/// <summary>The entry point, public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
