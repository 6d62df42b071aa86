using Microsoft.AspNetCore.Http;

namespace McpGrains.Gateway.Callback;

/// <summary>Headers every callback response carries, redirects included.</summary>
internal static class CallbackResponseHeaders
{
    public static void Apply(HttpResponse response)
    {
        // The callback URL holds the code and state: nothing may cache it, and the next page must not see it as Referer.
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
