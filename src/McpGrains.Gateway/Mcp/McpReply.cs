namespace McpGrains.Gateway.Mcp;

/// <summary>What to answer a request with: a raw result, or a JSON-RPC error (code, message, raw data).</summary>
internal readonly record struct McpReply(string? ResultJson, int ErrorCode, string? ErrorMessage, string? ErrorDataJson)
{
    public bool IsError => ErrorMessage is not null;

    public static McpReply Result(string resultJson) => new(resultJson, 0, null, null);

    public static McpReply Error(int code, string message, string? dataJson = null) => new(null, code, message, dataJson);

    /// <summary>
    /// The HTTP status a 2026-07-28 client gets with this answer in a JSON body: its transport maps method-not-found to
    /// 404 and the per-request metadata and capability errors to 400.
    /// </summary>
    public int StatelessStatus => ErrorCode switch
    {
        -32601 => 404,
        -32602 or -32020 or -32021 or -32022 => 400,
        _ => 200,
    };
}
