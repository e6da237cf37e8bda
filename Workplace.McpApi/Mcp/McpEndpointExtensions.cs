namespace Workplace.McpApi.Mcp;

public static class McpEndpointExtensions
{
    /// <summary>
    /// The services behind <see cref="MapMcpEndpoint"/>; the MCP server itself (tools, resources) is registered
    /// separately with <c>AddMcpServer()</c> so other hosts (the conformance test host) reuse this endpoint.
    /// </summary>
    public static IServiceCollection AddMcpEndpoint(this IServiceCollection services)
    {
        services.AddOptions<McpEndpointOptions>()
            .BindConfiguration(McpEndpointOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RequestOriginPolicy>();
        services.AddSingleton<StreamableHttpEndpoint>();
        return services;
    }

    /// <summary>Serves MCP Streamable HTTP (stateless, POST only) at <paramref name="pattern"/>.</summary>
    public static IEndpointConventionBuilder MapMcpEndpoint(this IEndpointRouteBuilder endpoints, string pattern)
    {
        var group = endpoints.MapGroup(pattern).ExcludeFromDescription();
        group.MapPost("", (HttpContext context, StreamableHttpEndpoint endpoint) => endpoint.HandlePostAsync(context));
        group.MapMethods("", [HttpMethods.Get, HttpMethods.Delete], (HttpContext context, StreamableHttpEndpoint endpoint) => endpoint.HandleOtherMethodAsync(context));
        return group;
    }
}
