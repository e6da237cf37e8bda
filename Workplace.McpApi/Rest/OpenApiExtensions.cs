namespace Workplace.McpApi.Rest;

public static class OpenApiExtensions
{
    /// <summary>The OpenAPI document a gateway imports (<c>/openapi/v1.json</c>), kept free of per-deployment values.</summary>
    public static IHostApplicationBuilder AddToolsOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            // The server URL is whatever host the request used; a gateway sets its own, and openapi.yaml must not vary by port.
            document.Servers?.Clear();
            document.Info.Title = "Workplace MCP tools";
            document.Info.Description = "REST facade over the Workplace MCP server's tools (search, fetch, list_sources). Same authorization (OAuth 2.1 bearer token, scopes workplace:read:<source>) and results as MCP tools/call.";
            return Task.CompletedTask;
        }));
        return builder;
    }
}
