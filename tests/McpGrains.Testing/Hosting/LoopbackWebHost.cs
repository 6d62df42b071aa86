using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpGrains.Testing;

/// <summary>Builds and starts real Kestrel hosts on a loopback port chosen at run time.</summary>
public static class LoopbackWebHost
{
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LoopbackWebHost).Assembly.GetName().Name,
            EnvironmentName = "Development",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // Fixture hosts stay quiet; tests that care about logs attach a LogCapture to the component under test.
        builder.Logging.ClearProviders();
        return builder;
    }

    /// <summary>Starts the app and returns its base address without a trailing slash, e.g. http://127.0.0.1:41234.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("Kestrel did not report its listening addresses.");
        var address = addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no listening address.");
        return new Uri(address.TrimEnd('/'));
    }

    /// <summary>The base address as a string without a trailing slash.</summary>
    public static string Format(Uri baseUri) => baseUri.GetLeftPart(UriPartial.Authority);
}
