using System.ComponentModel.DataAnnotations;

namespace Workplace.McpApi.Mcp;

/// <summary>Configuration section <c>Mcp</c>: what the Streamable HTTP endpoint accepts.</summary>
public sealed class McpEndpointOptions
{
    public const string SectionName = "Mcp";

    /// <summary>
    /// Browser origins allowed besides loopback ones and the server's own origin, e.g. <c>https://app.example.com</c>.
    /// Any other Origin is refused with 403 (DNS-rebinding protection, MCP Streamable HTTP security warning).
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>
    /// Host header values (without port) the endpoint answers; <c>*</c> allows every host. Empty: loopback names and
    /// the host of <c>Auth:Resource</c>, the server's public URL; list more when clients use other names.
    /// </summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>The largest JSON-RPC message accepted, in bytes. One MCP message is small; large bodies are abuse.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
