using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Workplace.Tests.Mcp;

/// <summary>The SDK's own MCP client over Streamable HTTP, at a chosen protocol revision.</summary>
public static class McpClientSession
{
    public static async Task<McpClient> ConnectAsync(Uri mcpUrl, string protocolVersion, HttpClient? http = null)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = mcpUrl,
            TransportMode = HttpTransportMode.StreamableHttp,
        }, http ?? new HttpClient(), ownsHttpClient: http is null);
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "workplace-tests", Version = "1.0" },
            ProtocolVersion = protocolVersion,
        });
    }
}
