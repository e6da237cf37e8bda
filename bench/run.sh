#!/usr/bin/env bash
# The Workplace benchmark: builds in Release, starts the whole graph by its AppHost (development token, no dashboard,
# Redis on, emulators at a fixed latency per provider, rate limits on but set too high to be hit), then loads
# authenticated MCP requests with wrk at rising concurrency and prints one table. See bench/README.md.
#   bench/run.sh                 cached search, uncached fan-out, large fetch, tools/list, TypeScript SDK server
#   bench/run.sh --quick         the same, fewer connection counts and 5 s a cell
#   bench/run.sh --turns 3       every cell three times; the table shows medians
#   bench/run.sh --soak 600      mixed load for 600 s instead, RSS of every service every 10 s
#   bench/run.sh --artillery     bench/artillery/search.yml against the same graph instead
#   bench/run.sh --no-build      reuse the last Release build
#   bench/run.sh --serve         start the graph as measured and keep it up (for a profiler) until Ctrl+C
# Needs wrk, redis-server, python3, and Node 22 (npx -y node@22) with npm for the TypeScript server.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
here="$root/bench"

connections=(1 8 32 64)
seconds=10
warmup=20
turns=1
soak=0
artillery=0
serve=0
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) connections=(1 32); seconds=5; warmup=8 ;;
    --turns) turns="$2"; shift ;;
    --soak) soak="$2"; shift ;;
    --no-build) build=0 ;;
    --artillery) artillery=1 ;;
    --serve) serve=1 ;;
    --connections) IFS=, read -r -a connections <<<"$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    *) echo "unknown option $1 (see the top of $0)" >&2; exit 2 ;;
  esac
  shift
done

# Fixed provider latency (ms) the emulators add to every call: Drive, Notion, Graph. Rate limits stay on (their check is
# on the path measured) but far above the load: mcpapi's per-user and global buckets, and connectors' provider budgets
# (Notion's own is 3 requests a second, which the uncached fan-out would hit at once).
declare -A latency=([google]=40 [notion]=60 [graph]=50)
slowest=60
query="Kestrel gripper firmware rollback"

work="$(mktemp -d)"
pids=()
service_pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  # The AppHost's orchestrator stops the services after the AppHost exits: wait for them, so the next run finds the cores free.
  for p in "${service_pids[@]}"; do
    for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
    kill -TERM "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in wrk redis-server python3 npx; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool on PATH" >&2; exit 1; }
done
if [ "$build" = 1 ]; then
  echo "building (Release)" >&2
  dotnet build "$root/Workplace.sln" -c Release -v q -nologo >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; exit 1; }
fi
echo "installing the TypeScript server's packages" >&2
# No lock file: it would name the registry's host; package.json pins exact versions instead.
(cd "$here/ts-server" && npm install --no-package-lock --no-audit --no-fund --silent) >"$work/npm.log" 2>&1 || { tail -20 "$work/npm.log" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

log="$work/graph.log"
echo "starting the graph" >&2
mkdir -p "$work/redis"
env WORKPLACE_DASHBOARD=off WORKPLACE_MCPAPI_PORT="$(free_port)" WORKPLACE_CACHE_DATA="$work/redis" \
  Auth__RateLimit__Enabled=true Auth__RateLimit__UserRequestsPerMinute=600000000 Auth__RateLimit__UserBurst=10000000 \
  Auth__RateLimit__GlobalRequestsPerSecond=10000000 Auth__RateLimit__GlobalBurst=10000000 \
  Sources__GoogleDrive__Budget__RequestsPerSecond=100000 Sources__GoogleDrive__Budget__Burst=100000 \
  Sources__Notion__Budget__RequestsPerSecond=100000 Sources__Notion__Budget__Burst=100000 \
  Sources__SharePoint__Budget__RequestsPerSecond=100000 Sources__SharePoint__Budget__Burst=100000 \
  ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development ASPIRE_ALLOW_UNSECURED_TRANSPORT=true \
  ASPNETCORE_URLS="http://127.0.0.1:$(free_port)" \
  dotnet run --project "$root/Workplace.AppHost" -c Release --no-build --no-launch-profile >"$log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do grep -qs "Ctrl+C stops everything" "$log" && break; kill -0 "${pids[0]}" 2>/dev/null || break; sleep 1; done
grep -q "Ctrl+C stops everything" "$log" || { echo "the graph did not start; the end of its log:" >&2; tail -40 "$log" >&2; exit 1; }
url=$(grep -o "MCP endpoint *[^ ]*" "$log" | awk '{print $3}')
token=$(grep -o "export WORKPLACE_TOKEN=[^ ]*" "$log" | cut -d= -f2)
emulators=$(grep -o "emulators *http[^ ]*" "$log" | awk '{print $2}')
for provider in "${!latency[@]}"; do
  curl -sf -X POST "$emulators/admin/faults/$provider" -H 'Content-Type: application/json' \
    -d "{\"kind\":\"Latency\",\"latencyMs\":${latency[$provider]}}" >/dev/null
done

# The service processes of this graph (not another checkout's): by their build output and Redis's data folder.
services=(McpApi Connectors Emulators redis)
declare -A pid=()
for s in "${services[@]}"; do
  case "$s" in
    # redis-server retitles itself "redis-server host:port": found by the port mcpapi was given.
    redis) pid[$s]=$(pgrep -f -- "redis-server $(tr '\0' '\n' <"/proc/${pid[McpApi]}/environ" | sed -n 's/^ConnectionStrings__cache=//p')\$" | head -1 || true) ;;
    *) pid[$s]=$(pgrep -f -- "$root/artifacts/bin/Workplace.$s/" | head -1 || true) ;;
  esac
  if [ -n "${pid[$s]}" ]; then service_pids+=("${pid[$s]}"); else echo "no process found for $s: its memory is reported as 0" >&2; fi
done
pid_of() { echo "${pid[$1]:-}"; }
# CPU seconds a process has used (user + system): per request, the cost of a request that the other engineers'
# builds on the same cores do not distort the way they distort requests/s.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Samples the RSS of each service (and node) every half second while a load runs; writes the maxima in MB.
sample_start() {
  : >"$work/rss"
  (
    while :; do
      line=""
      for s in "${services[@]}" node; do p=$(pid_of "$s"); line+="$s=$( [ -n "$p" ] && rss_kb "$p" || echo 0) "; done
      echo "$line" >>"$work/rss"
      sleep 0.5
    done
  ) &
  sampler=$!
}
sample_stop() {
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  python3 - "$work/rss" <<'EOF'
import re, sys
peak = {}
for line in open(sys.argv[1]):
    for k, v in re.findall(r"(\w+)=(\d+)", line):
        peak[k] = max(peak.get(k, 0), int(v))
print(" ".join(f"{k}={v // 1024}" for k, v in peak.items()))
EOF
}

# load <label> <target url> <protocol> <kind> <connections> <seconds>: one wrk run, one result line.
load() {
  local label=$1 target=$2 protocol=$3 kind=$4 c=$5 s=$6 threads server before
  threads=$(( c < 2 ? 1 : 2 ))
  server=${pid[McpApi]}; [ "$target" = "${ts:-}" ] && server=${pid[node]}
  before=$(cpu_ticks "$server")
  sample_start
  BENCH_TOKEN=$token BENCH_PROTOCOL=$protocol BENCH_KIND=$kind BENCH_QUERY=$query BENCH_ID=${fetch_id:-} \
    wrk -t"$threads" -c"$c" -d"$s"s --latency -s "$here/wrk/mcp.lua" "$target" >"$work/wrk.out" 2>&1 || true
  local memory result cpu
  memory=$(sample_stop)
  result=$(grep '^RESULT' "$work/wrk.out" || { echo "wrk failed:" >&2; cat "$work/wrk.out" >&2; echo "RESULT requests=0 rps=0 p50=0 p95=0 p99=0 errors=1 degraded=0"; })
  cpu=$(( ($(cpu_ticks "$server") - before) * 1000000 / $(getconf CLK_TCK) ))
  echo "scenario=$label connections=$c ${result#RESULT } cpu_us=$cpu $memory" | tee -a "$work/results" >&2
}

# One request with the same headers, for the answers the TypeScript server replays and for the fetch's id.
mcp_call() { # url protocol method tool body
  curl -sf -X POST "$1" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
    -H "Authorization: Bearer $token" -H "MCP-Protocol-Version: $2" -H "Mcp-Method: $3" ${4:+-H "Mcp-Name: $4"} -d "$5" \
    | sed -n '/^data: /{s///;p;b};/^{/p'
}
meta='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
search_body="{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"search\",\"arguments\":{\"query\":\"$query\",\"max_results\":10},$meta}}"
# The largest document of samples/workspace (32 KB of HTML); a files id is the base64url of its path.
fetch_doc="security/information-security-policy.html"
fetch_id="files:$(python3 -c 'import base64,sys; print(base64.urlsafe_b64encode(sys.argv[1].encode()).decode().rstrip("="))' "$fetch_doc")"
echo "graph up: $url; fetch $fetch_id" >&2

if [ "$serve" = 1 ]; then
  echo "serving until Ctrl+C: WORKPLACE_TOKEN=$token; mcpapi pid ${pid[McpApi]}, connectors pid ${pid[Connectors]}, emulators pid ${pid[Emulators]}" >&2
  echo "load it as the table does: BENCH_TOKEN=\$WORKPLACE_TOKEN BENCH_PROTOCOL=2026-07-28 BENCH_KIND=cached BENCH_QUERY='$query' wrk -t2 -c32 -d10s -s $here/wrk/mcp.lua $url" >&2
  wait "${pids[0]}"
  exit 0
fi

if [ "$artillery" = 1 ]; then
  echo "installing Artillery" >&2
  # Artillery depends on Playwright, whose install would download browsers this scenario does not use.
  (cd "$here/artillery" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-package-lock --no-audit --no-fund --silent) >"$work/npm-artillery.log" 2>&1 || { tail -20 "$work/npm-artillery.log" >&2; exit 1; }
  echo "warming up ${warmup} s" >&2
  load warmup "$url" 2026-07-28 cached 16 "$warmup" 2>/dev/null
  (cd "$here/artillery" && WORKPLACE_MCP_ORIGIN="${url%/mcp}" WORKPLACE_TOKEN="$token" npx --no-install artillery run search.yml)
  exit 0
fi

if [ "$soak" -gt 0 ]; then
  echo "warming up ${warmup} s" >&2
  load warmup "$url" 2026-07-28 cached 32 "$warmup" 2>/dev/null
  : >"$work/results"
  echo "soak: ${soak} s of mixed load (cached search at 16 connections, uncached fan-out at 2), RSS every 10 s" >&2
  for kind in cached uncached; do
    c=16; [ "$kind" = uncached ] && c=2
    BENCH_TOKEN=$token BENCH_PROTOCOL=2026-07-28 BENCH_KIND=$kind BENCH_QUERY=$query \
      wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"${soak}"s --latency -s "$here/wrk/mcp.lua" "$url" >"$work/soak-$kind.out" 2>&1 &
    pids+=($!)
  done
  : >"$work/series"
  for t in $(seq 0 10 "$soak"); do
    line="t=$t"
    for s in "${services[@]}"; do p=$(pid_of "$s"); line+=" $s=$(( $(rss_kb "$p") / 1024 ))"; done
    echo "$line" | tee -a "$work/series" >&2
    [ "$t" -lt "$soak" ] && sleep 10
  done
  wait "${pids[-1]}" "${pids[-2]}" 2>/dev/null || true
  for kind in cached uncached; do echo "$kind: $(grep '^RESULT' "$work/soak-$kind.out" || tail -3 "$work/soak-$kind.out")"; done
  python3 "$here/table.py" soak "$work/series"
  exit 0
fi

echo "warming up: ${warmup} s of each kind" >&2
for kind in cached uncached fetch list; do load warmup "$url" 2026-07-28 "$kind" 16 "$warmup" 2>/dev/null; done
# The TypeScript server replays mcpapi's answers, taken once the search is cached (the first, uncached answer
# carries other latencies) so both sides send the same bytes.
mcp_call "$url" 2026-07-28 tools/call search "$search_body" | python3 -c 'import json,sys; json.dump(json.load(sys.stdin)["result"], open(sys.argv[1],"w"))' "$work/result.json"
mcp_call "$url" 2026-07-28 tools/list "" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{$meta}}" \
  | python3 -c 'import json,sys; json.dump(json.load(sys.stdin)["result"], open(sys.argv[1],"w"))' "$work/tools.json"
echo "cached search answer: $(wc -c <"$work/result.json") bytes of JSON-RPC result" >&2
tsport=$(free_port)
(cd "$here/ts-server" && PORT=$tsport TOOLS_FILE="$work/tools.json" RESULT_FILE="$work/result.json" exec npx -y node@22 server.ts) >"$work/ts.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do grep -qs "listening on" "$work/ts.log" && break; sleep 1; done
grep -q "listening on" "$work/ts.log" || { echo "the TypeScript server did not start:" >&2; tail -20 "$work/ts.log" >&2; exit 1; }
# npx runs node as its child: that process is the server measured, and is stopped on exit with the services.
pid[node]=$(pgrep -f -- "server.ts" | while read -r p; do if grep -qs "PORT=$tsport" "/proc/$p/environ"; then echo "$p"; fi; done | tail -1 || true)
if [ -n "${pid[node]}" ]; then service_pids+=("${pid[node]}"); fi
ts="http://127.0.0.1:$tsport/mcp"
load warmup "$ts" 2025-11-25 cached 16 "$warmup" 2>/dev/null
: >"$work/results"
for turn in $(seq 1 "$turns"); do
  for c in "${connections[@]}"; do
    load "cached search" "$url" 2026-07-28 cached "$c" "$seconds"
    load "ts-sdk search" "$ts" 2025-11-25 cached "$c" "$seconds"
    load "uncached fan-out" "$url" 2026-07-28 uncached "$c" "$seconds"
    load "fetch 32 KB" "$url" 2026-07-28 fetch "$c" "$seconds"
  done
  load "tools/list" "$url" 2026-07-28 list 32 "$seconds"
  load "ts-sdk tools/list" "$ts" 2025-11-25 list 32 "$seconds"
done
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk on the same cores;" \
  "provider latency: Drive ${latency[google]} ms, Notion ${latency[notion]} ms, Graph ${latency[graph]} ms (slowest $slowest ms); ${seconds} s a cell, medians of $turns turn(s)"
python3 "$here/table.py" table "$work/results" "$slowest"
