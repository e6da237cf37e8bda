using System.Security.Claims;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace Workplace.McpApi.Tools;

/// <summary>
/// One tool, served both over MCP and by the REST facade: the same definition, validation and result shape.
/// Argument problems are tool errors (isError) that say what is allowed; an unknown tool is the caller's problem.
/// </summary>
public interface IWorkplaceTool
{
    Task<CallToolResult> CallAsync(IDictionary<string, JsonElement>? arguments, ClaimsPrincipal user, CancellationToken cancellationToken);
}

/// <param name="Definition">What tools/list shows.</param>
/// <param name="Implementation">The <see cref="IWorkplaceTool"/> type, resolved per call from the request's services.</param>
/// <param name="RequestedSources">The sources a call names, for the authorization check made before the call runs.</param>
public sealed record ToolEntry(Tool Definition, Type Implementation, Func<IDictionary<string, JsonElement>?, IReadOnlyCollection<string>> RequestedSources);

public static class ToolResults
{
    public static CallToolResult Error(string toolName, IEnumerable<string> problems) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = $"Invalid arguments for {toolName}: {string.Join("; ", problems)}." }],
    };

    public static CallToolResult Failure(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };
}
