using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Workplace.Tests.Mcp;

/// <summary>The SDK's own MCP client over Streamable HTTP, at a chosen protocol revision, with a valid bearer token.</summary>
public static class McpClientSession
{
    public static async Task<McpClient> ConnectAsync(McpApiFactory mcpApi, string protocolVersion)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = mcpApi.McpUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
        }, mcpApi.Auth.CreateClient(), ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "workplace-tests", Version = "1.0" },
            ProtocolVersion = protocolVersion,
        });
    }
}
