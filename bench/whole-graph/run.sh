#!/usr/bin/env bash
# Authenticated, cached MCP `search` through the whole graph, this checkout against another one, measured in turns in
# one run on one machine: each side's graph is built in Release, started by its own AppHost (development token, rate
# limits off, Redis on), warmed, then loaded by wrk; the turns alternate so drift in the machine hits every side.
# This checkout runs twice: as `dotnet run` starts it (the Aspire dashboard on the same cores, receiving every span,
# metric and log) and with WORKPLACE_DASHBOARD=off (no dashboard, no telemetry export, as the baseline had).
#   bench/whole-graph/run.sh [<git ref to compare with, default: none>] [turns, default 3]
# Needs wrk (apt-get install wrk) and redis-server. Prints one line per turn and the medians.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/bench/whole-graph"
baseline="${1:-}"
turns="${2:-3}"
work="$(mktemp -d)"
trap 'kill -TERM "${apphost:-0}" 2>/dev/null || true; [ -n "$baseline" ] && git -C "$root" worktree remove --force "$work/baseline" >/dev/null 2>&1; rm -rf "$work"' EXIT

sides=("current:$root" "nodash:$root:WORKPLACE_DASHBOARD=off")
if [ -n "$baseline" ]; then
  git -C "$root" worktree add --detach "$work/baseline" "$baseline" >/dev/null
  sides=("baseline:$work/baseline" "${sides[@]}")
fi
for checkout in "$root" ${baseline:+"$work/baseline"}; do
  echo "building $checkout (Release)" >&2
  dotnet build "$checkout/Workplace.sln" -c Release -v q -nologo >/dev/null
done

measure() { # name, checkout, extra environment (KEY=value or empty)
  local log="$work/$1.log" port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # Rate limits off so that the load measures the search path, not the 429s.
  env ${3:+"$3"} WORKPLACE_MCPAPI_PORT=$port Auth__RateLimit__Enabled=false ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development \
    ASPIRE_ALLOW_UNSECURED_TRANSPORT=true ASPNETCORE_URLS="http://127.0.0.1:$((port + 1))" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$((port + 2))" \
    dotnet run --project "$2/Workplace.AppHost" -c Release --no-build --no-launch-profile >"$log" 2>&1 &
  apphost=$!
  for _ in $(seq 1 180); do grep -q "Ctrl+C stops everything" "$log" && break; sleep 1; done
  grep -q "Ctrl+C stops everything" "$log" || { echo "the $1 graph did not start; the end of its log:" >&2; tail -40 "$log" >&2; exit 1; }
  local url token
  url=$(grep -o "MCP endpoint *[^ ]*" "$log" | awk '{print $3}')
  token=$(grep -o "export WORKPLACE_TOKEN=[^ ]*" "$log" | cut -d= -f2)
  WORKPLACE_TOKEN=$token wrk -t2 -c32 -d5s -s "$here/search.lua" "$url" >/dev/null
  WORKPLACE_TOKEN=$token wrk -t2 -c32 -d10s -s "$here/search.lua" "$url" | grep RESULT | sed "s/^RESULT/$1/"
  kill -TERM "$apphost"; wait "$apphost" 2>/dev/null || true
  # Every process of the graph gone before the next side starts (DCP takes a few seconds).
  for _ in $(seq 1 60); do pgrep -f "Workplace\.(McpApi|Connectors)|redis-server 127.0.0.1|dcp (start-apiserver|run-controllers)" >/dev/null || break; sleep 1; done
}

for turn in $(seq 1 "$turns"); do
  for side in "${sides[@]}"; do
    IFS=: read -r name checkout extra <<<"$side"
    measure "$name" "$checkout" "$extra" | tee -a "$work/results"
  done
done
echo "medians over $turns turns (wrk -t2 -c32 -d10s, after a 5 s warm-up):"
for side in "${sides[@]}"; do
  name=${side%%:*}
  grep "^$name " "$work/results" | python3 "$here/median.py" "$name"
done
