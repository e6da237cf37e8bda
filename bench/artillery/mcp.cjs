// Artillery hooks for search.yml.
let counter = 0;

// A second in 2000-2004 unique to this virtual user: a cache key of its own that filters out no document.
function uniqueModifiedAfter(context, events, done) {
  counter += 1;
  context.vars.modifiedAfter = new Date(Date.UTC(2000, 0, 1) + (process.pid % 1000) * 100000000 + counter * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return done();
}

// A 200 can still carry a JSON-RPC error or a tool error: counted as mcp.errors; a source that did not answer as mcp.degraded.
function countMcpErrors(request, response, context, events, next) {
  const body = typeof response.body === "string" ? response.body : "";
  if (body.includes('"error":{') || body.includes('"isError":true')) {
    events.emit("counter", "mcp.errors", 1);
  } else if (/"status":"(timeout|error|rate_limited|not_connected)"/.test(body)) {
    events.emit("counter", "mcp.degraded", 1);
  }
  return next();
}

module.exports = { uniqueModifiedAfter, countMcpErrors };
