using Microsoft.Extensions.DependencyInjection;

namespace McpGrains.OAuth.Tests.Infrastructure;

/// <summary>The real DI registration, with the development switch that allows the loopback test servers.</summary>
public static class OAuthTestServices
{
    public static ServiceProvider Create(bool allowInsecureLoopback = true, TimeSpan? timeout = null) =>
        new ServiceCollection()
            .AddMcpGrainsOAuthClient(o =>
            {
                o.AllowInsecureLoopback = allowInsecureLoopback;
                if (timeout is not null)
                {
                    o.Timeout = timeout.Value;
                }
            })
            .BuildServiceProvider();
}
