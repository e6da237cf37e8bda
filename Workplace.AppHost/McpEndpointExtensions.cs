using System.Globalization;

namespace Workplace.AppHost;

public static class McpEndpointExtensions
{
    public const string PortKey = "WORKPLACE_MCPAPI_PORT";
    public const int PreferredPort = 5180;

    /// <summary>
    /// mcpapi's HTTP endpoint, the one the graph exposes outside. Run mode: a stable port, so the URL given to
    /// <c>claude mcp add</c> stays valid across runs (<c>WORKPLACE_MCPAPI_PORT</c>, else 5180 when free, else any free
    /// port; 0 means any), served by mcpapi itself rather than a proxy; the dashboard links the MCP URL.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMcpEndpoint(this IResourceBuilder<ProjectResource> mcpapi)
    {
        if (mcpapi.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return mcpapi.WithHttpEndpoint().WithExternalHttpEndpoints();
        }
        var port = Port(mcpapi.ApplicationBuilder.Configuration[PortKey]);
        return mcpapi
            .WithHttpEndpoint(port: port, isProxied: false)
            .WithExternalHttpEndpoints()
            .WithUrlForEndpoint("http", url => url.DisplayText = "mcpapi")
            .WithUrls(context =>
            {
                var endpoint = mcpapi.GetEndpoint("http");
                context.Urls.Add(new ResourceUrlAnnotation { Url = endpoint.Url + "/mcp", DisplayText = "MCP endpoint", Endpoint = endpoint });
            });
    }

    private static int Port(string? configured)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return LoopbackPorts.IsFree(PreferredPort) ? PreferredPort : LoopbackPorts.Free();
        }
        if (!int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ArgumentException($"{PortKey} must be a TCP port number (1-65535, or 0 for any free port), not \"{configured}\".");
        }
        return port == 0 ? LoopbackPorts.Free() : port;
    }
}
