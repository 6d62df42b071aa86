namespace McpGrains.Gateway.Mcp;

/// <summary>What one POSTed JSON-RPC message is.</summary>
internal enum McpMessageKind
{
    Invalid = 0,
    Request = 1,
    Notification = 2,

    /// <summary>The client's answer (result or error) to a server-to-client request.</summary>
    Response = 3,
}
