using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace McpGrains.Host.Telemetry;

/// <summary>
/// The scrape endpoint's gate: <c>Authorization: Bearer {ScrapeKey}</c>, compared in constant time; anything else gets
/// 401 without a challenge. The metrics hold no secret, but they say how the service is used.
/// </summary>
public static class ScrapeKeyCheck
{
    public static void Require(IApplicationBuilder branch, string scrapeKey)
    {
        ArgumentNullException.ThrowIfNull(branch);
        var expected = Encoding.UTF8.GetBytes("Bearer " + scrapeKey);
        branch.Use(async (context, next) =>
        {
            var presented = Encoding.UTF8.GetBytes(context.Request.Headers[HeaderNames.Authorization].ToString());
            if (!CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
    }
}
