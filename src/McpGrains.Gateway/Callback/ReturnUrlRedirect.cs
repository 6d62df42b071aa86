using Microsoft.AspNetCore.WebUtilities;

namespace McpGrains.Gateway.Callback;

/// <summary>Builds the URL the browser goes back to, with the outcome appended to the return URL's own query.</summary>
public static class ReturnUrlRedirect
{
    public const string StatusParameter = "mcpgrains_status";
    public const string ServerParameter = "mcpgrains_server";
    public const string ErrorParameter = "mcpgrains_error";

    public static string Build(string returnUrl, CallbackResult result)
    {
        var parameters = new List<KeyValuePair<string, string?>>
        {
            new(StatusParameter, result.Succeeded ? "connected" : "error"),
            new(ServerParameter, result.ServerId),
        };
        if (!result.Succeeded)
        {
            parameters.Add(new(ErrorParameter, result.Error?.Code ?? "authorization_failed"));
        }

        // Keeps the existing query and puts the parameters before any fragment.
        return QueryHelpers.AddQueryString(returnUrl, parameters);
    }
}
