using System.Security.Claims;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using Workplace.McpApi.Auth;
using Workplace.McpApi.Search;
using Workplace.McpApi.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.McpApi.Tools;

public sealed class ListSourcesTool(ConnectorClient connectors, ISourceAccess access) : IWorkplaceTool
{
    public const string Name = "list_sources";

    public static ToolEntry Entry { get; } = new(new Tool
    {
        Name = Name,
        Title = "List workplace sources",
        Description = "Lists each source (google_drive, notion, sharepoint, files): whether your token grants it, whether you have connected it, and where to connect it if not.",
        InputSchema = ToolSchemas.Parse(ToolSchemas.ListSourcesInput),
        OutputSchema = ToolSchemas.Parse(ToolSchemas.ListSourcesOutput),
        Annotations = new ToolAnnotations { Title = "List workplace sources", ReadOnlyHint = true, DestructiveHint = false, IdempotentHint = true, OpenWorldHint = false },
    }, typeof(ListSourcesTool), _ => []);

    private static readonly Dictionary<string, string> s_titles = new(StringComparer.Ordinal)
    {
        [SourceIds.GoogleDrive] = "Google Drive",
        [SourceIds.Notion] = "Notion",
        [SourceIds.SharePoint] = "SharePoint and OneDrive",
        [SourceIds.Files] = "Files",
    };

    private const string NotDeployed = "Not available on this server yet: no connector for it is deployed. Ask the server's operator to enable it.";

    public async Task<CallToolResult> CallAsync(IDictionary<string, JsonElement>? arguments, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var values = new ToolArguments(arguments);
        values.RejectUnknown();
        if (values.Errors.Count > 0)
        {
            return ToolResults.Error(Name, values.Errors);
        }

        var granted = access.GrantedSources(user);
        IReadOnlyList<SourceDescriptor> listed = [];
        string? note = null;
        try
        {
            var result = await connectors.GetSourcesAsync(new InternalPrincipal(access.UserKey(user), granted), cancellationToken);
            listed = result.Value?.Sources ?? [];
            note = result.Succeeded ? null : $"The connectors service could not list sources ({result.Message}); connection states are unknown. Retry later.";
        }
        catch (HttpRequestException)
        {
            note = "The connectors service is unreachable; connection states are unknown. Retry later.";
        }

        var sources = SourceIds.All.Select(id =>
        {
            var descriptor = listed.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.Ordinal));
            var connected = descriptor is { RequiresConnection: false };
            return new SourceInfo(id, descriptor?.Title ?? s_titles[id], granted.Contains(id), connected,
                descriptor is { RequiresConnection: true } ? SearchService.ConnectUrl(id) : null,
                descriptor?.Description ?? (note is null ? NotDeployed : null));
        }).ToList();

        var lines = sources.Select(s =>
            $"- {s.Source} ({s.Title}): {(s.Granted ? "granted" : $"not granted (needs scope {SourceIds.ReadScope(s.Source)})")}, " +
            (s.Connected ? "connected" : s.ConnectUrl is { } url ? $"not connected (connect: {url})" : s.Description ?? "not connected"));
        var text = "Sources:\n" + string.Join('\n', lines) + (note is null ? "" : "\n" + note);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text }],
            StructuredContent = JsonSerializer.SerializeToElement(new SourceListOutcome(sources), WorkplaceJsonContext.Default.SourceListOutcome),
        };
    }
}
