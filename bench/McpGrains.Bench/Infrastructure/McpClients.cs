using ModelContextProtocol.Client;

namespace McpGrains.Bench.Infrastructure;

/// <summary>C# SDK clients over Streamable HTTP, each with its own connection pool.</summary>
public static class McpClients
{
    public static readonly IReadOnlyDictionary<string, object?> EchoArguments = new Dictionary<string, object?> { ["message"] = "ping" };

    public static Task<McpClient> OpenAsync(Uri endpoint, IDictionary<string, string>? headers = null) =>
        OpenAsync(endpoint, NewHandler(), headers);

    /// <summary>A connection pool of its own, unbounded and never recycled (the load is the bench's).</summary>
    public static SocketsHttpHandler NewHandler() =>
        new() { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };

    /// <summary>A client whose requests go through <paramref name="handler"/> (a balancer, for instance).</summary>
    public static async Task<McpClient> OpenAsync(Uri endpoint, HttpMessageHandler handler, IDictionary<string, string>? headers = null)
    {
        var http = new HttpClient(handler)
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = headers,
            },
            http,
            ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
    }

    public static async Task CallEchoAsync(McpClient client)
    {
        var result = await client.CallToolAsync("echo", EchoArguments);
        if (result.IsError == true)
        {
            throw new InvalidOperationException("echo returned an error result.");
        }
    }
}
