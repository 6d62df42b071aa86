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
    /// <summary>
    /// A slim builder listening on http://127.0.0.1:0 with no log providers. <paramref name="environmentName"/> is
    /// Development unless a host that reads McpGrains settings needs otherwise: the content root of a test project holds
    /// the host's appsettings.Development.json, whose development host app and keys must not reach such a host.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string environmentName = "Development")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LoopbackWebHost).Assembly.GetName().Name,
            EnvironmentName = environmentName,
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
