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
        var port = LoopbackPorts.FromSetting(PortKey, mcpapi.ApplicationBuilder.Configuration[PortKey], PreferredPort);
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
}
