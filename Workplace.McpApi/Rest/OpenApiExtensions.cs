using Microsoft.OpenApi;

namespace Workplace.McpApi.Rest;

public static class OpenApiExtensions
{
    private const string BearerScheme = "bearer";

    // What a gateway needs to act on a result without reading every outputSchema first.
    private const string CallToolDescription =
        "structuredContent follows the tool's outputSchema in GET /mcp/tools. search reports each source's status: ok, timeout, error " +
        "(a paused source says until when in message and paused_until), rate_limited, unauthorized, not_connected (with connect_url: open it in a " +
        "browser to connect the source, then call again; valid 10 minutes, for the caller only) or not_deployed. list_sources reports per source " +
        "granted, connected, connect_url, emulated (an emulated provider with sample data), paused_until and description.";

    /// <summary>The OpenAPI document a gateway imports (<c>/openapi/v1.json</c>), kept free of per-deployment values.</summary>
    public static IHostApplicationBuilder AddToolsOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            // The server URL is whatever host the request used; a gateway sets its own, and openapi.yaml must not vary by port.
            document.Servers?.Clear();
            document.Info.Title = "Workplace MCP tools";
            document.Info.Description = "REST facade over the Workplace MCP server's tools (search, fetch, list_sources). Same authorization (OAuth 2.1 bearer token, scopes workplace:read:<source>) and results as MCP tools/call.";
            // A gateway importing the document must know every call needs a bearer token. The authorization server
            // differs per deployment, so it is named by the server's RFC 9728 metadata, not here.
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "An OAuth 2.1 access token for this server (audience: its /mcp URL) with workplace:read:<source> scopes. The authorization server is listed at /.well-known/oauth-protected-resource.",
                },
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
            return Task.CompletedTask;
        }).AddOperationTransformer((operation, context, _) =>
        {
            // Each tool takes its own arguments: describe the body as an object and point at the tool's inputSchema
            // instead of exposing the JsonElement type the handler reads it into.
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().Any(n => n.EndpointName == ToolsApi.CallToolName)
                && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
            {
                body.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "The tool's arguments, as its inputSchema in GET /mcp/tools describes them.",
                };
                operation.Description = CallToolDescription;
            }
            return Task.CompletedTask;
        }));
        return builder;
    }
}
