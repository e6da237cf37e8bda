using Microsoft.AspNetCore.Http.Metadata;
using ModelContextProtocol.AspNetCore;

namespace Workplace.McpApi.Mcp;

public static class McpEndpointExtensions
{
    /// <summary>
    /// MCP Streamable HTTP on the SDK's transport, stateless (no Mcp-Session-Id, no GET stream), and the options of
    /// the checks <see cref="MapMcpEndpoint"/> adds in front of it.
    /// </summary>
    public static IMcpServerBuilder WithStatelessHttpEndpoint(this IMcpServerBuilder builder)
    {
        builder.Services.AddOptions<McpEndpointOptions>()
            .BindConfiguration(McpEndpointOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RequestOriginPolicy>();
        return builder.WithHttpTransport(options => options.SessionMode = HttpServerSessionMode.Stateless);
    }

    /// <summary>
    /// Serves MCP at <paramref name="pattern"/> with the SDK's <c>MapMcp</c>, behind the checks its handler lacks, in
    /// the order a request meets them: where it comes from, what it carries, how big it is, and whether the caller
    /// may make it. POST only: in stateless mode the SDK maps no GET or DELETE, so routing answers those 405 with
    /// <c>Allow: POST</c>.
    /// </summary>
    /// <returns>The endpoint's builder, so authorization can be required on it like on any endpoint.</returns>
    public static IEndpointConventionBuilder MapMcpEndpoint(this IEndpointRouteBuilder endpoints, string pattern)
    {
        var mcp = endpoints.MapMcp(pattern).ExcludeFromDescription();
        // The SDK declares that its POST accepts application/json, so routing would refuse any other Content-Type
        // with an empty 415 before a filter runs; ContentTypeFilter answers it with a JSON-RPC error instead.
        mcp.Finally(endpoint =>
        {
            foreach (var accepts in endpoint.Metadata.OfType<IAcceptsMetadata>().ToList())
            {
                endpoint.Metadata.Remove(accepts);
            }
        });
        return mcp
            .AddEndpointFilter<IEndpointConventionBuilder, OriginFilter>()
            .AddEndpointFilter<IEndpointConventionBuilder, ContentTypeFilter>()
            .AddEndpointFilter<IEndpointConventionBuilder, RequestBodyFilter>()
            .AddEndpointFilter<IEndpointConventionBuilder, RequestAuthorizationFilter>();
    }
}
