using Microsoft.Extensions.Logging;
using Xunit;

namespace McpGrains.Testing.Tests;

public sealed class LogCaptureTests
{
    [Fact]
    public void FindAny_FindsSecretsInMessagesStructuredValuesScopesAndExceptions()
    {
        using var capture = new LogCapture();
        using var factory = capture.CreateLoggerFactory();
        var logger = factory.CreateLogger("test");

        logger.LogInformation("Refreshed tokens for {Server}", "server-1");
        Assert.Null(capture.FindAny(["secret-a", "secret-b"]));

        logger.LogWarning(new InvalidOperationException("boom secret-b"), "Refresh failed");
        Assert.Equal("secret-b", capture.FindAny(["secret-a", "secret-b"]));

        capture.Clear();
        using (logger.BeginScope("Callback {Url}", "https://cb?code=secret-c"))
        {
            logger.LogDebug("inside scope");
        }

        Assert.Equal("secret-c", capture.FindAny(["secret-c"]));
        Assert.Contains("inside scope", capture.Messages);
    }

    [Fact]
    public async Task FindAny_IsSafeUnderConcurrentLogging()
    {
        using var capture = new LogCapture();
        using var factory = capture.CreateLoggerFactory();
        var logger = factory.CreateLogger("test");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                logger.LogInformation("worker {Worker} message {Index}", worker, i);
                _ = capture.FindAny(["never-logged"]);
            }
        })));

        Assert.Equal(1600, capture.Entries.Count);
        Assert.Null(capture.FindAny(["never-logged"]));
    }
}
