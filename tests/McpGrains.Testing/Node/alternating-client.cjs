// A real MCP client (the TypeScript SDK from npm) whose every HTTP request goes to the next McpGrains front end in
// turn, as a load balancer without stickiness would send it; a front end that refuses connections is skipped (the
// balancer's health check). Driven by the test over stdin/stdout, one JSON object per line.
//   NODE_PATH=<node_modules> MCPGRAINS_HOST_KEY=.. MCPGRAINS_USER=.. node alternating-client.cjs <serverId> <frontEndUrl>...
// Commands (stdin): "list", "calls <n> <concurrency>", "close". Events (stdout): {"event": ...}.
const readline = require('readline');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { ToolListChangedNotificationSchema } = require('@modelcontextprotocol/sdk/types.js');

const [serverId, ...frontEnds] = process.argv.slice(2);
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const dead = new Set();
let turn = 0;

async function alternatingFetch(url, init) {
  const target = new URL(url);
  for (let attempt = 0; attempt < frontEnds.length * 2; attempt++) {
    const index = turn++ % frontEnds.length;
    if (dead.has(index)) continue;
    const base = new URL(frontEnds[index]);
    target.protocol = base.protocol;
    target.host = base.host;
    const headers = new Headers(init?.headers);
    let method = init?.method ?? 'GET';
    let rpc;
    try { rpc = init?.body ? JSON.parse(init.body).method ?? 'response' : undefined; } catch { rpc = undefined; }
    try {
      const response = await fetch(target, init);
      emit({ event: 'http', method, rpc, frontEnd: index + 1, status: response.status, lastEventId: headers.get('last-event-id') ?? undefined });
      return response;
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      dead.add(index);
      emit({ event: 'front-end-down', frontEnd: index + 1, method, rpc });
    }
  }
  throw new Error('no front end answered');
}

async function main() {
  const transport = new StreamableHTTPClientTransport(new URL(`${frontEnds[0]}/mcp/${serverId}`), {
    fetch: alternatingFetch,
    requestInit: { headers: { Authorization: `Bearer ${process.env.MCPGRAINS_HOST_KEY}`, 'X-User-Id': process.env.MCPGRAINS_USER } },
    reconnectionOptions: { initialReconnectionDelay: 3000, maxReconnectionDelay: 5000, reconnectionDelayGrowFactor: 1.2, maxRetries: 30 },
  });
  const client = new Client({ name: 'mcpgrains-alternating-client', version: '1.0.0' }, { capabilities: {} });
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => emit({ event: 'notification', method: 'notifications/tools/list_changed' }));
  client.onerror = (error) => emit({ event: 'transport-error', message: String(error?.message ?? error) });
  await client.connect(transport);
  emit({ event: 'connected', sessionId: transport.sessionId });

  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [command, ...args] = line.trim().split(/\s+/);
    try {
      if (command === 'list') {
        const tools = await client.listTools();
        emit({ event: 'tools', names: tools.tools.map((t) => t.name) });
      } else if (command === 'calls') {
        const [count, concurrency] = args.map(Number);
        const texts = [];
        for (let start = 0; start < count; start += concurrency) {
          const batch = Array.from({ length: Math.min(concurrency, count - start) }, (_, i) => start + i);
          const results = await Promise.all(batch.map((i) => client.callTool({ name: 'echo', arguments: { message: `call-${i}` } })));
          for (const result of results) texts.push(result.isError ? `error: ${result.content?.[0]?.text}` : result.content?.[0]?.text);
        }
        emit({ event: 'calls', texts });
      } else if (command === 'close') {
        await transport.terminateSession();
        await client.close();
        emit({ event: 'closed' });
        process.exit(0);
      }
    } catch (error) {
      emit({ event: 'error', command, message: String(error?.message ?? error) });
    }
  }
}

main().catch((error) => {
  emit({ event: 'fatal', message: String(error?.stack ?? error) });
  process.exit(1);
});
