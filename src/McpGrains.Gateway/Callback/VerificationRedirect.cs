using McpGrains.Configuration;
using McpGrains.Gateway.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace McpGrains.Gateway.Callback;

/// <summary>
/// Binding mode host-verification: after the callback the browser goes to the host app's verification URL with the
/// sealed flow id (<c>mcpgrains_flow</c>) and the server id (<c>mcpgrains_server</c>); the host app, which knows who
/// is signed in in this browser, confirms the flow for that user.
/// </summary>
public static class VerificationRedirect
{
    public const string FlowParameter = "mcpgrains_flow";

    public static IResult To(McpGrainsOptions options, McpSessionKey key, string flowId, HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(response);
        if (options.HostApps.GetValueOrDefault(key.TenantId)?.VerificationUrl is not { Length: > 0 } verificationUrl)
        {
            // The host app's mode changed while the flow ran: nobody can confirm it, and it lapses by itself.
            return BrowserPages.VerificationUnavailable(options.HostAppDisplayName(key.TenantId));
        }

        // Set by hand: ASP.NET Core's RedirectResult logs its URL (Debug), which carries the flow id.
        CallbackResponseHeaders.Apply(response);
        response.Headers.Location = QueryHelpers.AddQueryString(verificationUrl, new Dictionary<string, string?>
        {
            [FlowParameter] = flowId,
            [ReturnUrlRedirect.ServerParameter] = key.ServerId,
        });
        return Results.StatusCode(StatusCodes.Status302Found);
    }
}
