using McpGrains.Host.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace McpGrains.Adversary.Tests.Telemetry;

/// <summary>
/// <c>McpGrains:Telemetry:GrainCallTracing</c>: Orleans' trace propagation filters wrap every grain call, so they are
/// registered only when traces go somewhere (OTLP, or an exporter the host adds and asks for them).
/// </summary>
public sealed class GrainCallTracingTests
{
    [Theory]
    [InlineData(null, null, null, false)]
    [InlineData(null, "http://collector:4317", null, true)]
    [InlineData(null, null, "http://collector:4317", true)]
    [InlineData("false", "http://collector:4317", null, false)]
    [InlineData("true", null, null, true)]
    public void TracesGrainCalls_FollowsTheSwitch_ElseOtlpTraces(string? setting, string? otlp, string? otlpTraces, bool expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["McpGrains:Telemetry:GrainCallTracing"] = setting,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp,
            ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = otlpTraces,
        }).Build();

        Assert.Equal(expected, HostTelemetryExtensions.TracesGrainCalls(configuration));
    }

    [Fact]
    public async Task ShippedDefaults_RegisterNoGrainCallFilter()
    {
        await using var host = RunningHost.Start();

        Assert.Empty(host.Services.GetServices<IIncomingGrainCallFilter>());
        Assert.Empty(host.Services.GetServices<IOutgoingGrainCallFilter>());
    }

    [Fact]
    public async Task GrainCallTracing_RegistersOrleansPropagationFilters()
    {
        await using var host = RunningHost.Start(webHost: builder => builder.UseSetting("McpGrains:Telemetry:GrainCallTracing", "true"));

        Assert.Contains(host.Services.GetServices<IIncomingGrainCallFilter>(), filter => filter.GetType().Name.Contains("ActivityPropagation", StringComparison.Ordinal));
        Assert.Contains(host.Services.GetServices<IOutgoingGrainCallFilter>(), filter => filter.GetType().Name.Contains("ActivityPropagation", StringComparison.Ordinal));
    }
}
