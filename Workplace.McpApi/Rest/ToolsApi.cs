using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Workplace.McpApi.Auth;
using Workplace.McpApi.Mcp;
using Workplace.McpApi.Tools;

namespace Workplace.McpApi.Rest;

/// <summary>
/// REST facade over the MCP tools for gateways that import OpenAPI rather than speak MCP: the same tools,
/// validation, source checks and CallToolResult shape as tools/call.
/// </summary>
public static class ToolsApi
{
    public const string CallToolName = "CallTool";

    /// <returns>The route group, so authorization can be required on it like on any endpoint.</returns>
    public static RouteGroupBuilder MapToolsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/mcp/tools")
            .WithTags("Tools")
            .AddEndpointFilter(async (context, next) =>
                context.HttpContext.RequestServices.GetRequiredService<RequestOriginPolicy>().Check(context.HttpContext.Request) is { } problem
                    ? TypedResults.Problem(problem, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden origin or host")
                    : await next(context));

        group.MapGet("", ListTools)
            .WithName("ListTools")
            .WithSummary("The tools, with their input and output JSON Schemas (the MCP tools/list result).")
            .Produces<ListToolsResult>(StatusCodes.Status200OK);

        group.MapPost("/{name}/call", CallToolAsync)
            .WithName(CallToolName)
            .WithSummary("Calls a tool with a JSON object of arguments; answers the MCP CallToolResult (isError true for invalid arguments).")
            .Accepts<JsonElement>("application/json")
            .Produces<CallToolResult>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static JsonHttpResult<ListToolsResult> ListTools(ToolCatalog catalog) =>
        TypedResults.Json(new ListToolsResult { Tools = [.. catalog.Definitions] }, McpJsonUtilities.DefaultOptions);

    private static async Task<IResult> CallToolAsync(
        string name, HttpContext context, ToolCatalog catalog, ToolAccessAuthorizer authorizer, ISourceAccess access, CancellationToken cancellationToken)
    {
        if (catalog.Find(name) is not { } entry)
        {
            return TypedResults.Problem($"There is no tool '{name}'. GET /mcp/tools lists them: {string.Join(", ", catalog.Definitions.Select(d => d.Name))}.",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown tool");
        }

        IDictionary<string, JsonElement>? arguments;
        try
        {
            var body = context.Request.ContentLength == 0
                ? default
                : await JsonSerializer.DeserializeAsync(context.Request.Body, RestJsonContext.Default.JsonElement, cancellationToken);
            if (body.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
            {
                return TypedResults.Problem("The body must be a JSON object of the tool's arguments, e.g. {\"query\":\"roadmap\"}.",
                    statusCode: StatusCodes.Status400BadRequest, title: "Arguments must be an object");
            }
            arguments = ToolArguments.FromElement(body);
        }
        catch (JsonException)
        {
            return TypedResults.Problem("The body is not well-formed JSON. Send the tool's arguments as a JSON object, e.g. {\"query\":\"roadmap\"}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON");
        }

        if (access.Authorize(context, authorizer.ToolSources(name, arguments)) is { } refusal)
        {
            return refusal;
        }

        var result = await ToolCatalog.Resolve(entry, context.RequestServices).CallAsync(arguments, context.User, ClientElicitation.None, cancellationToken);
        return TypedResults.Json(result, McpJsonUtilities.DefaultOptions, statusCode: StatusCodes.Status200OK);
    }
}
