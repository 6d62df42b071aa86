using McpGrains.ConformanceServer;

// `dotnet McpGrains.ConformanceServer.dll [--urls http://127.0.0.1:PORT]`: the MCP endpoint is {url}/mcp.
var app = ConformanceServerApp.Build(args);
await app.RunAsync();
