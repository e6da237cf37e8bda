-- wrk script for bench/run.sh: one authenticated MCP request per call, stateless (no initialize, no session).
-- Environment:
--   BENCH_TOKEN     bearer token (sent to every server; the TypeScript server ignores it)
--   BENCH_PROTOCOL  MCP-Protocol-Version: 2026-07-28 for mcpapi (with the request _meta that revision asks for),
--                   2025-11-25 for the TypeScript SDK, whose newest revision that is
--   BENCH_KIND      cached: the same search every time (a cache hit after the first);
--                   uncached: the same search with a modified_after unique to each request (a second in 2000-2004, so
--                   it filters out no document; a slot of 20,000 seconds per thread and run, chosen by the clock, so
--                   two runs within the cache's lifetime never share one): no two requests share a cache key, while every source does the same
--                   work for the same results (a made-up extra word would instead send Drive, Notion and Graph to their
--                   second, any-word query, two round trips);
--                   fetch: fetch BENCH_ID whole (max_chars 100000); list: tools/list
--   BENCH_QUERY     the search words; BENCH_ID the document for fetch
-- Prints one RESULT line of key=value pairs. errors counts non-2xx answers, socket errors, JSON-RPC errors and tool
-- results flagged isError; degraded counts search answers in which some source was not "ok".
local token = os.getenv("BENCH_TOKEN") or ""
local protocol = os.getenv("BENCH_PROTOCOL") or "2026-07-28"
local kind = os.getenv("BENCH_KIND") or "cached"
local query = os.getenv("BENCH_QUERY") or "Kestrel gripper firmware rollback"
local id = os.getenv("BENCH_ID") or ""

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local function meta()
  if protocol == "2026-07-28" then
    return ',"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
  end
  return ""
end

local function call(name, arguments)
  return '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"' .. name .. '","arguments":' .. arguments .. meta() .. '}}'
end

local function search_body(words, after)
  return call("search", '{"query":"' .. words .. '","max_results":10' .. (after and (',"modified_after":"' .. after .. '"') or "") .. '}')
end

local function headers(method, name)
  local h = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json, text/event-stream",
    ["Authorization"] = "Bearer " .. token,
    ["MCP-Protocol-Version"] = protocol,
    ["Mcp-Method"] = method,
  }
  if name then h["Mcp-Name"] = name end
  return h
end

local counter = 0
local fixed
-- Each run starts its keys in its own slot: a run that began where the last one did would be answered from the cache
-- for as many requests as the last run made, within the cache's 60 s.
local slot = (os.time() % 2500) * 20000

function init(args)
  if kind == "list" then
    fixed = wrk.format("POST", nil, headers("tools/list"), '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{' .. string.sub(meta(), 2) .. '}}')
  elseif kind == "fetch" then
    fixed = wrk.format("POST", nil, headers("tools/call", "fetch"), call("fetch", '{"id":"' .. id .. '","max_chars":100000}'))
  elseif kind == "cached" then
    fixed = wrk.format("POST", nil, headers("tools/call", "search"), search_body(query))
  end
end

function request()
  if fixed then return fixed end
  counter = counter + 1
  local after = os.date("!%Y-%m-%dT%H:%M:%SZ", 946684800 + (tid - 1) * 50000000 + slot + counter)
  return wrk.format("POST", nil, headers("tools/call", "search"), search_body(query, after))
end

failures = 0
degraded = 0
function response(status, _, body)
  if status < 200 or status > 299
    or string.find(body, '"isError":true', 1, true)
    or string.find(body, '"error":{', 1, true) then
    failures = failures + 1
  elseif kind ~= "list" and kind ~= "fetch" and string.find(body, '"status":"', 1, true)
    and (string.find(body, '"status":"timeout"', 1, true) or string.find(body, '"status":"error"', 1, true)
      or string.find(body, '"status":"rate_limited"', 1, true) or string.find(body, '"status":"not_connected"', 1, true)) then
    degraded = degraded + 1
  end
end

function done(summary, latency, requests)
  local failed, worse = 0, 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    worse = worse + thread:get("degraded")
  end
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.1f p50=%.2f p95=%.2f p99=%.2f errors=%d degraded=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, failed + socket, worse))
end
