// The TypeScript MCP SDK's stateless Streamable HTTP server, as its simpleStatelessStreamableHttp example builds it
// (Express through createMcpExpressApp, a new server and transport per request), serving the same answers as mcpapi:
// bench/run.sh captures mcpapi's tools/list and its cached search answer and passes them in, so the bytes each side
// puts on the wire are the same. It checks no token and fans out to nothing: it is the floor of an MCP round trip
// on Node, which mcpapi's cached search (token validation, rate limit, cache lookup) is compared with.
//   PORT=... TOOLS_FILE=tools.json RESULT_FILE=result.json node server.ts
import { readFileSync } from "node:fs";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const tools = JSON.parse(readFileSync(process.env.TOOLS_FILE!, "utf8"));
const result = JSON.parse(readFileSync(process.env.RESULT_FILE!, "utf8"));

function getServer(): Server {
  const server = new Server({ name: "bench-ts", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => tools);
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    if (request.params.name !== "search") {
      return { content: [{ type: "text", text: `Unknown tool ${request.params.name}` }], isError: true };
    }
    return result;
  });
  return server;
}

const app = createMcpExpressApp({ host: "127.0.0.1" });
app.post("/mcp", async (req, res) => {
  const server = getServer();
  try {
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
    res.on("close", () => {
      transport.close();
      server.close();
    });
  } catch (error) {
    console.error("Error handling MCP request:", error);
    if (!res.headersSent) {
      res.status(500).json({ jsonrpc: "2.0", error: { code: -32603, message: "Internal server error" }, id: null });
    }
  }
});

const port = Number(process.env.PORT ?? 0);
const listener = app.listen(port, "127.0.0.1", () => {
  const address = listener.address();
  console.log(`listening on ${typeof address === "object" && address ? address.port : port}`);
});
