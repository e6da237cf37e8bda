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
    /// <param name="arguments">The call's arguments, unvalidated.</param>
    /// <param name="user">The authenticated caller.</param>
    /// <param name="client">How the client can ask its user to open a URL during this call.</param>
    /// <param name="cancellationToken">Ends the call.</param>
    Task<CallToolResult> CallAsync(IDictionary<string, JsonElement>? arguments, ClaimsPrincipal user, ClientElicitation client, CancellationToken cancellationToken);
}

/// <summary>How a client can be asked to have its user open a URL, e.g. a source's connect link.</summary>
public enum UrlElicitationMode
{
    /// <summary>It cannot (REST, clients without URL-mode elicitation): the URL goes in the result.</summary>
    None,

    /// <summary>2026-07-28: an input-required result with a URL-mode elicitation request; the client retries with the user's answer.</summary>
    InputRequired,

    /// <summary>2025-11-25: the URL elicitation required error (-32042); the client retries once the user has been there.</summary>
    RequiredError,
}

/// <param name="Mode">How the client can be asked.</param>
/// <param name="Responses">On a 2026-07-28 retry, the user's answers to what the first call asked, by the keys it used.</param>
public sealed record ClientElicitation(UrlElicitationMode Mode, IDictionary<string, InputResponse>? Responses = null)
{
    public static ClientElicitation None { get; } = new(UrlElicitationMode.None);
}

/// <param name="Definition">What tools/list shows.</param>
/// <param name="Implementation">The <see cref="IWorkplaceTool"/> type, resolved per call from the request's services.</param>
/// <param name="RequestedSources">The sources a call names, for the authorization check made before the call runs.</param>
/// <param name="MayElicit">The tool may ask the client to have its user open a URL, so it needs to know how the client can be asked.</param>
public sealed record ToolEntry(Tool Definition, Type Implementation, Func<IDictionary<string, JsonElement>?, IReadOnlyCollection<string>> RequestedSources, bool MayElicit = false);

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
