using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans;

namespace McpGrains.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway alone, in memory, with a recording grain factory instead of a silo: for what the gateway decides by
/// itself (authentication, validation, mapping) and for proving that rejected requests reach no grain.
/// </summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayTestHost(WebApplication app, RecordingGrainFactory grains, FakeTimeProvider time, CapturingLoggerProvider logs)
    {
        _app = app;
        Logs = logs;
        Grains = grains;
        Time = time;
    }

    public RecordingGrainFactory Grains { get; }

    public FakeTimeProvider Time { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GatewayTestHost> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = TestConfiguration.Create();
        configure?.Invoke(settings);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);

        var (factory, recorder) = RecordingGrainFactory.Create();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
        builder.Services.AddSingleton(factory);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddMcpGrainsGateway();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMcpGrainsGateway();
        app.MapMcpGrainsGateway();
        await app.StartAsync();
        return new GatewayTestHost(app, recorder, time, logs);
    }

    public HttpClient CreateClient(string? hostAppKey = TestConfiguration.AppOneKey)
    {
        var client = _app.GetTestClient();
        if (hostAppKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", hostAppKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
