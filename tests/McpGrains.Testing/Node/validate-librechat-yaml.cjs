// Validates a librechat.yaml file as LibreChat does: loaded with js-yaml, mcpServers with librechat-data-provider's
// MCPServersSchema, mcpSettings with its config schema. Prints {"ok": bool, "problems": [...]} and exits 0 when ok.
// A key the schema drops (unknown to LibreChat, so silently ignored) is a problem too.
// Usage: NODE_PATH=<node_modules> node validate-librechat-yaml.cjs <file.yaml>
const fs = require('fs');
const yaml = require('js-yaml');
const { MCPServersSchema, configSchema } = require('librechat-data-provider');

const problems = [];

function dropped(input, output, path) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return;
  for (const key of Object.keys(input)) {
    if (output === null || typeof output !== 'object' || !(key in output)) {
      problems.push(`${path}.${key} is dropped by LibreChat's schema`);
    } else {
      dropped(input[key], output[key], `${path}.${key}`);
    }
  }
}

function check(name, schema, value) {
  const result = schema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${name}.${issue.path.join('.')}: ${issue.message}`);
    return;
  }
  dropped(value, result.data, name);
}

const doc = yaml.load(fs.readFileSync(process.argv[2], 'utf8'));
if (!doc || typeof doc.mcpServers !== 'object') problems.push('no mcpServers section');
else check('mcpServers', MCPServersSchema, doc.mcpServers);
if (doc && doc.mcpSettings !== undefined) check('mcpSettings', configSchema.shape.mcpSettings, doc.mcpSettings);
console.log(JSON.stringify({ ok: problems.length === 0, servers: Object.keys(doc?.mcpServers ?? {}), problems }));
process.exit(problems.length === 0 ? 0 : 1);
