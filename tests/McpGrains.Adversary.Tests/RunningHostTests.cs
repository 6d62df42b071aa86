using System.Net;

namespace McpGrains.Adversary.Tests;

/// <summary>The fixture itself: the host answers on a real socket, and refuses a wrong host key there.</summary>
public sealed class RunningHostTests
{
    [Fact]
    public async Task Host_AnswersOverRealHttp_AndRefusesAWrongKey()
    {
        await using var host = RunningHost.Start();
        using var anonymous = host.Client(hostKey: null);
        using var wrong = host.Client("wrong-key-0123456789abcdef");
        using var right = host.Client();

        using var live = await anonymous.GetAsync("/health/live");
        using var refused = await wrong.GetAsync("/api/v1/servers");
        using var listed = await right.GetAsync("/api/v1/servers");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }
}
