#!/usr/bin/env bash
# Authenticated, cached MCP `search` through the whole graph: this checkout against another commit, side by side in
# one run on one machine. Every side's graph is built in Release and started by its own AppHost (development token,
# rate limits off, Redis on), all at once; each is warmed for 20 s (JIT tiering and the first cache fill settle
# within that; before it every side runs slower), then wrk loads one side at a time, turn after turn, so drift in the
# machine hits every side alike. This checkout runs twice: as `dotnet run` starts it (the Aspire dashboard on the same
# cores, receiving every span, metric and log) and with WORKPLACE_DASHBOARD=off (no dashboard, no telemetry export, as
# the baseline had).
#   bench/whole-graph/run.sh [<commit to compare with, default: none>] [turns, default 5]
# Needs wrk (apt-get install wrk) and redis-server. Prints one line per measurement and the medians.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/bench/whole-graph"
baseline="${1:-}"
turns="${2:-5}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$baseline" ]; then git -C "$root" worktree remove --force "$work/baseline" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

sides=("current:$root" "nodash:$root:WORKPLACE_DASHBOARD=off")
if [ -n "$baseline" ]; then
  git -C "$root" worktree add --detach "$work/baseline" "$baseline" >/dev/null
  sides=("baseline:$work/baseline" "${sides[@]}")
fi
for checkout in "$root" ${baseline:+"$work/baseline"}; do
  echo "building $checkout (Release)" >&2
  dotnet build "$checkout/Workplace.sln" -c Release -v q -nologo >/dev/null
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() { # name, checkout, extra environment (KEY=value or empty)
  local log="$work/$1.log"
  mkdir -p "$work/$1-redis"
  # Rate limits off so that the load measures the search path, not the 429s.
  env ${3:+"$3"} WORKPLACE_MCPAPI_PORT="$(free_port)" WORKPLACE_CACHE_DATA="$work/$1-redis" Auth__RateLimit__Enabled=false \
    ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
    ASPNETCORE_URLS="http://127.0.0.1:$(free_port)" ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://127.0.0.1:$(free_port)" \
    dotnet run --project "$2/Workplace.AppHost" -c Release --no-build --no-launch-profile >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 180); do grep -qs "Ctrl+C stops everything" "$log" && break; sleep 1; done
  grep -q "Ctrl+C stops everything" "$log" || { echo "the $1 graph did not start; the end of its log:" >&2; tail -40 "$log" >&2; exit 1; }
  echo "$(grep -o "MCP endpoint *[^ ]*" "$log" | awk '{print $3}') $(grep -o "export WORKPLACE_TOKEN=[^ ]*" "$log" | cut -d= -f2)" >"$work/$1.target"
}

load() { # name, seconds
  local url token
  read -r url token <"$work/$1.target"
  WORKPLACE_TOKEN=$token wrk -t2 -c32 -d"$2"s -s "$here/search.lua" "$url"
}

for side in "${sides[@]}"; do
  IFS=: read -r name checkout extra <<<"$side"
  echo "starting $name" >&2
  start "$name" "$checkout" "$extra"
done
for side in "${sides[@]}"; do load "${side%%:*}" 20 >/dev/null; done
for turn in $(seq 1 "$turns"); do
  for side in "${sides[@]}"; do
    load "${side%%:*}" 10 | grep RESULT | sed "s/^RESULT/${side%%:*}/" | tee -a "$work/results"
    # The dashboard digests a turn's telemetry for seconds after it: without a pause that work lands in the next
    # side's measurement (it first showed as a doubled p99 for whichever side came after `current`).
    sleep 10
  done
done
echo "medians over $turns turns (wrk -t2 -c32 -d10s, after a 20 s warm-up):"
for side in "${sides[@]}"; do
  name=${side%%:*}
  grep "^$name " "$work/results" | python3 "$here/median.py" "$name"
done
