using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace McpGrains.Adversary.Tests.Telemetry;

/// <summary><c>McpGrains:Logging:Format</c>: <c>json</c> switches the console to one JSON object per line; anything else but <c>simple</c> stops the start.</summary>
public sealed class LoggingFormatTests
{
    [Fact]
    public async Task FormatJson_WritesJsonConsoleLines_WithoutScopes()
    {
        await using var host = RunningHost.Start(webHost: builder => builder.UseSetting("McpGrains:Logging:Format", "json"));
        var console = host.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value;
        var json = host.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().Get(ConsoleFormatterNames.Json);

        Assert.Equal(ConsoleFormatterNames.Json, console.FormatterName);
        Assert.False(json.IncludeScopes);
    }

    [Fact]
    public async Task FormatByDefault_IsTheSimpleConsole()
    {
        await using var host = RunningHost.Start();
        Assert.NotEqual(ConsoleFormatterNames.Json, host.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
    }

    [Fact]
    public void UnknownFormat_StopsTheStart_NamingTheKey()
    {
        var error = Assert.ThrowsAny<Exception>(() => RunningHost.Start(webHost: builder => builder.UseSetting("McpGrains:Logging:Format", "xml")));
        Assert.Contains("McpGrains:Logging:Format", error.ToString(), StringComparison.Ordinal);
    }
}
