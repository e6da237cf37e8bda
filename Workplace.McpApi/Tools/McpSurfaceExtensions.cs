using ModelContextProtocol.Protocol;
using Workplace.McpApi.Mcp;

namespace Workplace.McpApi.Tools;

public static class McpSurfaceExtensions
{
    /// <summary>The MCP endpoint's services and this server's tools, resource template and the source checks made before they run.</summary>
    public static IHostApplicationBuilder AddMcpSurface(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddMcpEndpoint();
        services.AddSingleton<ToolCatalog>();
        services.AddSingleton<ToolAccessAuthorizer>();
        services.AddSingleton<IMcpRequestAuthorizer>(sp => sp.GetRequiredService<ToolAccessAuthorizer>());
        services.AddTransient<SearchTool>();
        services.AddTransient<FetchTool>();
        services.AddTransient<ListSourcesTool>();
        services.AddTransient<DocumentReader>();

        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "workplace", Title = "Workplace search", Version = typeof(McpSurfaceExtensions).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" };
                options.ServerInstructions = "Search the user's workplace documents (Google Drive, Notion, SharePoint/OneDrive, files) with search, read one with fetch, and see which sources are available with list_sources.";
            })
            .WithTools(ToolCatalog.Entries.Select(e => (ModelContextProtocol.Server.McpServerTool)new CatalogMcpTool(e)))
            .WithResources([new DocumentResource()])
            .WithResourceUriInErrors();
        return builder;
    }
}
