using System.Text.Json;

namespace McpGrains.Gateway.Contracts;

/// <summary>The body of a tool call or prompt get: <c>{"arguments": {...}}</c>.</summary>
public sealed record InvokeRequest(JsonElement? Arguments);
