using McpGrains;
using McpGrains.ConformanceClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Spawned by the MCP conformance suite: `dotnet McpGrains.ConformanceClient.dll <server-url>`.
// Exit code 0 when the scenario's calls completed, 1 otherwise (the suite scores its own checks either way).
if (args.Length == 0 || !Uri.TryCreate(args[^1], UriKind.Absolute, out var serverUrl))
{
    Console.Error.WriteLine("usage: McpGrains.ConformanceClient <mcp-server-url>   (env MCP_CONFORMANCE_SCENARIO, MCP_CONFORMANCE_CONTEXT)");
    return 2;
}

var context = ConformanceContext.FromEnvironment();
Console.Error.WriteLine($"McpGrains.ConformanceClient: {context}, protocol {context.ProtocolVersion ?? "auto"}");
var logLevel = Environment.GetEnvironmentVariable("MCPGRAINS_CONFORMANCE_LOG") is { Length: > 0 } level && Enum.TryParse<LogLevel>(level, true, out var parsed)
    ? parsed
    : LogLevel.Information;
// The suite runs a whole suite's scenarios in parallel (one silo each); on a small machine start-up alone can take
// tens of seconds, so the budget is generous and adjustable. .ci/conformance.sh gives the suite a larger --timeout.
var budgetSeconds = int.TryParse(Environment.GetEnvironmentVariable("MCPGRAINS_CONFORMANCE_TIMEOUT_SECONDS"), out var seconds) && seconds > 0 ? seconds : 110;
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(budgetSeconds));

await using var host = await ConformanceHost.StartAsync(serverUrl, context, logLevel, timeout.Token);
var loggerFactory = host.Services.GetRequiredService<ILoggerFactory>();
var logger = loggerFactory.CreateLogger("McpGrains.ConformanceClient");
logger.LogInformation("Scenario {Scenario} against {Server}; callback {Callback}.", context.Scenario, serverUrl, host.CallbackUrl);

using var browser = new BrowserSimulator();
var connector = new UserConnector(host, browser, logger);
try
{
    await connector.ConnectAsync(timeout.Token);
    // Orleans holds an observer's target weakly: without this reference it could be collected mid-scenario, and the
    // grain's server requests then reach nobody (a CI run lost two that way: "has been garbage collected").
    var elicitation = new ElicitationObserver();
    var observer = host.Grains.CreateObjectReference<IMcpSessionObserver>(elicitation);
    await connector.Session.SubscribeAsync(observer, new DownstreamCapabilities(Elicitation: true, ElicitationUrl: false, Sampling: false, Roots: false), timeout.Token);
    await new McpScenarioClient(connector, loggerFactory).RunAsync(context, timeout.Token);
    GC.KeepAlive(elicitation);
    logger.LogInformation("Scenario {Scenario} done.", context.Scenario);
    return 0;
}
catch (ConnectionFailedException ex)
{
    logger.LogError("Scenario {Scenario}: could not connect: {Message}", context.Scenario, ex.Message);
    return 1;
}
catch (Exception ex)
{
    // Any failure ends the scenario with exit code 1 and one line; no stack trace (it may quote server input).
    logger.LogError("Scenario {Scenario} failed: {Type}: {Message}", context.Scenario, ex.GetType().Name, ex.Message);
    return 1;
}
