using Microsoft.Extensions.Configuration;

namespace McpGrains.Testing;

/// <summary>
/// The logging an operator gets from the host as shipped: the <c>Logging</c> settings of its <c>appsettings.json</c>,
/// with every logging key the environment's settings file adds masked (null), so that a test host or the benchmark
/// logs as production does whichever environment it runs in. Add the result as the last configuration source.
/// </summary>
public static class ShippedLogging
{
    public static Dictionary<string, string?> Settings(string contentRoot, string environment)
    {
        var logging = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, _) in LoggingOf(contentRoot, $"appsettings.{environment}.json"))
        {
            logging[key] = null;
        }

        foreach (var (key, value) in LoggingOf(contentRoot, "appsettings.json"))
        {
            logging[key] = value;
        }

        return logging;
    }

    private static IEnumerable<KeyValuePair<string, string?>> LoggingOf(string contentRoot, string file) =>
        new ConfigurationBuilder().SetBasePath(contentRoot).AddJsonFile(file, optional: true).Build().GetSection("Logging").AsEnumerable();
}
