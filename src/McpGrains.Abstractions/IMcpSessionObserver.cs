using Orleans.Concurrency;

namespace McpGrains;

/// <summary>
/// Implemented by a front end for the downstream MCP sessions it holds for one (tenant, user, server). The session
/// grain pushes upstream notifications and relays server-to-client requests through it, wherever the front end runs.
/// </summary>
[Alias("McpGrains.IMcpSessionObserver")]
public interface IMcpSessionObserver : IGrainObserver
{
    [OneWay]
    [Alias("OnNotificationAsync")]
    Task OnNotificationAsync(UpstreamNotification notification);

    /// <summary>The user finished an authorization: the front end completes elicitations and announces the tools.</summary>
    [OneWay]
    [Alias("OnAuthorizationCompletedAsync")]
    Task OnAuthorizationCompletedAsync(string elicitationId);

    /// <summary>
    /// An upstream server-to-client request (elicitation/create, sampling/createMessage, roots/list). A person may be
    /// answering it, so it may take minutes.
    /// </summary>
    [ResponseTimeout("00:10:00")]
    [Alias("OnServerRequestAsync")]
    Task<UpstreamResult> OnServerRequestAsync(UpstreamRequest request);
}
