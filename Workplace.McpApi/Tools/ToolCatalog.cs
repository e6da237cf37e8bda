using System.Security.Claims;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

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
        return await tool.CallAsync(request.Params?.Arguments, request.User ?? new ClaimsPrincipal(), cancellationToken);
    }
}
