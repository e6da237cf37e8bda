using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Workplace.McpApi.Mcp;

namespace Workplace.McpApi.Tools;

public static class McpSurfaceExtensions
{
    private static readonly TimeSpan s_listLifetime = TimeSpan.FromMinutes(5);

    // Stateless: the SDK configures a server's options for every request, so what they hold is built once here.
    private static readonly Implementation s_serverInfo = new()
    {
        Name = "workplace",
        Title = "Workplace search",
        Version = typeof(McpSurfaceExtensions).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
    };

    /// <summary>The MCP server on stateless Streamable HTTP, its tools, resource template and the source checks made before they run.</summary>
    public static IHostApplicationBuilder AddMcpSurface(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ToolCatalog>();
        services.AddSingleton<ToolAccessAuthorizer>();
        services.AddSingleton<IMcpRequestAuthorizer>(sp => sp.GetRequiredService<ToolAccessAuthorizer>());
        services.AddTransient<SearchTool>();
        services.AddTransient<FetchTool>();
        services.AddTransient<ListSourcesTool>();
        services.AddTransient<DocumentReader>();
        services.AddSingleton<ConnectPrompts>();

        services.AddMcpServer(options =>
            {
                options.ServerInfo = s_serverInfo;
                options.ServerInstructions = "Search the user's workplace documents (Google Drive, Notion, SharePoint/OneDrive, files) with search, read one with fetch, and see which sources are available with list_sources.";
            })
            .WithStatelessHttpEndpoint()
            .WithTools(ToolCatalog.Entries.Select(e => (ModelContextProtocol.Server.McpServerTool)new CatalogMcpTool(e)))
            .WithResources([new DocumentResource()])
            .WithResourceUriInErrors()
            // A 2025-era client declares URL-mode elicitation only here; this stateless server remembers it for later calls.
            .WithMessageFilters(filters => filters.AddIncomingFilter(next => async (context, cancellationToken) =>
            {
                if (context.JsonRpcMessage is JsonRpcRequest { Method: RequestMethods.Initialize } initialize
                    && context.User is { Identity.IsAuthenticated: true } user
                    && context.Services?.GetService<ConnectPrompts>() is { } prompts)
                {
                    var declared = initialize.Params?["capabilities"]?["elicitation"]?["url"] is JsonObject;
                    await prompts.RememberClientAsync(user, declared, cancellationToken);
                }
                await next(context, cancellationToken);
            }).AddOutgoingFilter(SerializedToolResults.Writer))
            // SEP-2549 (2026-07-28): the tool and template lists are the same for every caller and change only with a
            // deployment, so clients and intermediaries may share them for a while. Tool results are per user: not cached.
            .WithRequestFilters(filters => filters
                .AddListToolsFilter(next => async (request, cancellationToken) =>
                {
                    var result = await next(request, cancellationToken);
                    result.TimeToLive = s_listLifetime;
                    result.CacheScope = CacheScope.Public;
                    return result;
                })
                .AddListResourceTemplatesFilter(next => async (request, cancellationToken) =>
                {
                    var result = await next(request, cancellationToken);
                    result.TimeToLive = s_listLifetime;
                    result.CacheScope = CacheScope.Public;
                    return result;
                }));
        return builder;
    }
}
