// Calls one tool through McpGrains' /mcp/{serverId} as a user, with the MCP TypeScript SDK's Streamable HTTP client,
// and prints the result as JSON. Usage: node call-tool.cjs <mcp url> <host key> <user id> <tool>
// (NODE_PATH points at the pinned node tools' node_modules.)
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

const [url, hostKey, user, tool] = process.argv.slice(2);

(async () => {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${hostKey}`, 'X-User-Id': user } },
  });
  const client = new Client({ name: 'mcpgrains-demo-test', version: '1.0.0' });
  await client.connect(transport);
  const result = await client.callTool({ name: tool, arguments: {} });
  console.log(JSON.stringify(result));
  await client.close();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
