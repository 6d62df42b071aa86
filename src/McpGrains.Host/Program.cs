using McpGrains.Host;

if (args.Length > 0 && args[0] == DemoCommand.Name)
{
    return await DemoCommand.RunAsync(args[1..], Console.Out, CancellationToken.None);
}

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

var app = HostApplication.Build(builder);
await app.RunAsync();
return 0;

/// <summary>The entry point, public for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
