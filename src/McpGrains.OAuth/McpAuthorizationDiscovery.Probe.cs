using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace McpGrains.OAuth;

// The probe: an unauthenticated initialize (or server/discover) whose 401 says whether, and by whom, the server is protected.
public sealed partial class McpAuthorizationDiscovery
{
    private static string DiscoverRequestJson(string protocolVersion) =>
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{\"_meta\":{"
        + $"\"io.modelcontextprotocol/protocolVersion\":{System.Text.Json.JsonSerializer.Serialize(protocolVersion)},"
        + "\"io.modelcontextprotocol/clientCapabilities\":{},"
        + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"McpGrains\",\"version\":\"1.0.0\"}}}}";

    private const string InitializeRequestJson =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"McpGrains","version":"1.0.0"}}}""";

    private async Task<(bool RequiresAuthorization, WwwAuthenticateChallenge? Challenge)> ProbeAsync(Uri url, string? protocolVersion, CancellationToken ct)
    {
        var stateless = string.CompareOrdinal(protocolVersion, StatelessProtocolVersion) >= 0;
        using (var post = new HttpRequestMessage(HttpMethod.Post, url))
        {
            post.Content = new StringContent(stateless ? DiscoverRequestJson(protocolVersion!) : InitializeRequestJson, Encoding.UTF8);
            post.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            post.Headers.Accept.ParseAdd("application/json");
            post.Headers.Accept.ParseAdd("text/event-stream");
            post.Headers.TryAddWithoutValidation("MCP-Protocol-Version", stateless ? protocolVersion : ProbeProtocolVersion);
            post.Headers.TryAddWithoutValidation("Mcp-Method", stateless ? "server/discover" : "initialize");
            using var response = await UpstreamCall.SendAsync(_httpClient, post, "MCP server", SessionErrorCodes.DiscoveryFailed, ct);
            LogProbeResult(_logger, "POST", SafeUrl.Format(url), (int)response.StatusCode);
            if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed))
            {
                var outcome = InterpretProbe(response, url);
                if (!outcome.RequiresAuthorization
                    && response.Headers.TryGetValues("Mcp-Session-Id", out var sessionIds)
                    && sessionIds.FirstOrDefault() is { Length: > 0 } sessionId)
                {
                    await DeleteProbeSessionAsync(url, sessionId, ct);
                }

                return outcome;
            }
        }

        // Legacy HTTP+SSE servers (2024-11-05) only answer GET with an event stream.
        using var get = new HttpRequestMessage(HttpMethod.Get, url);
        get.Headers.Accept.ParseAdd("text/event-stream");
        using var getResponse = await UpstreamCall.SendAsync(_httpClient, get, "MCP server", SessionErrorCodes.DiscoveryFailed, ct);
        LogProbeResult(_logger, "GET", SafeUrl.Format(url), (int)getResponse.StatusCode);
        return InterpretProbe(getResponse, url);
    }

    private static (bool RequiresAuthorization, WwwAuthenticateChallenge? Challenge) InterpretProbe(HttpResponseMessage response, Uri url)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return (true, WwwAuthenticateChallenge.Parse(response.Headers));
        }

        if (status is >= 300 and < 400)
        {
            throw new OAuthClientException(
                SessionErrorCodes.DiscoveryFailed,
                $"The MCP server at {SafeUrl.Format(url)} answered with redirect {status}; redirects are not followed, configure the final URL.");
        }

        if (status >= 500)
        {
            throw new OAuthClientException(SessionErrorCodes.UpstreamUnavailable, $"The MCP server at {SafeUrl.Format(url)} answered {status}.");
        }

        // 2xx, or a 4xx other than 401 (400 from a server that refuses this protocol version's initialize, 403, 404,
        // 405, 406, ...): nothing says authorization is required. A 401/403 on a real request is handled by
        // DiscoverFromChallengeAsync.
        return (false, null);
    }

    private async Task DeleteProbeSessionAsync(Uri url, string sessionId, CancellationToken ct)
    {
        try
        {
            using var delete = new HttpRequestMessage(HttpMethod.Delete, url);
            delete.Headers.TryAddWithoutValidation("Mcp-Session-Id", sessionId);
            delete.Headers.TryAddWithoutValidation("MCP-Protocol-Version", ProbeProtocolVersion);
            using var response = await _httpClient.SendAsync(delete, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogSessionDeleteFailed(_logger, SafeUrl.Format(url), ex);
        }
    }
}
