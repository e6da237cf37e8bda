using System.Security.Claims;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Workplace.McpApi.Mcp;

namespace Workplace.McpApi.Tools;

/// <summary>Every tool this server offers, by name: the one list behind tools/list, tools/call and the REST facade.</summary>
public sealed class ToolCatalog
{
    public static IReadOnlyList<ToolEntry> Entries { get; } = [SearchTool.Entry, FetchTool.Entry, ListSourcesTool.Entry];

    private readonly Dictionary<string, ToolEntry> _byName = Entries.ToDictionary(e => e.Definition.Name, StringComparer.Ordinal);

    public IReadOnlyList<Tool> Definitions { get; } = [.. Entries.Select(e => e.Definition)];

    public ToolEntry? Find(string name) => _byName.GetValueOrDefault(name);

    public static IWorkplaceTool Resolve(ToolEntry entry, IServiceProvider services) =>
        (IWorkplaceTool)services.GetRequiredService(entry.Implementation);
}

/// <summary>Serves a catalog tool through the MCP server.</summary>
internal sealed class CatalogMcpTool(ToolEntry entry) : McpServerTool
{
    public override Tool ProtocolTool => entry.Definition;

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var services = request.Services ?? throw new InvalidOperationException("The MCP server was created without request services.");
        var tool = ToolCatalog.Resolve(entry, services);
        var user = request.User ?? new ClaimsPrincipal();
        var client = entry.MayElicit ? await ElicitationOfAsync(request, user, services.GetRequiredService<ConnectPrompts>(), cancellationToken) : ClientElicitation.None;
        return SerializedToolResults.ForSdk(await tool.CallAsync(request.Params?.Arguments, user, client, cancellationToken), request);
    }

    private static async Task<ClientElicitation> ElicitationOfAsync(
        RequestContext<CallToolRequestParams> request, ClaimsPrincipal user, ConnectPrompts prompts, CancellationToken cancellationToken)
    {
        var context = request.JsonRpcRequest.Context;
        var version = context?.ProtocolVersion;
        if (McpRevisions.IsJuly2026OrLater(version))
        {
            // Capabilities travel on every 2026-07-28 request and must not be inferred from earlier ones.
            return context?.ClientCapabilities?.Elicitation?.Url is not null && request.Server.IsMrtrSupported
                ? new ClientElicitation(UrlElicitationMode.InputRequired, request.Params?.InputResponses)
                : ClientElicitation.None;
        }
        // URL-mode elicitation and its error first appear in 2025-11-25.
        return version == McpRevisions.November2025 && user.Identity?.IsAuthenticated == true && await prompts.ClientDeclaredUrlElicitationAsync(user, cancellationToken)
            ? new ClientElicitation(UrlElicitationMode.RequiredError)
            : ClientElicitation.None;
    }
}

/// <summary>Protocol revisions are dates, so they order as strings; the SDK keeps its own comparison internal.</summary>
internal static class McpRevisions
{
    public const string November2025 = "2025-11-25";
    public const string July2026 = "2026-07-28";

    public static bool IsJuly2026OrLater(string? version) =>
        !string.IsNullOrEmpty(version) && string.CompareOrdinal(version, July2026) >= 0;
}
