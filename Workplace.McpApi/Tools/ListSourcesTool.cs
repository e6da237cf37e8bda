using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using Workplace.McpApi.Auth;
using Workplace.McpApi.Connect;
using Workplace.McpApi.Search;
using Workplace.McpApi.Sources;

namespace Workplace.McpApi.Tools;

public sealed class ListSourcesTool(ConnectorClient connectors, ISourceAccess access, ConnectLinks links) : IWorkplaceTool
{
    public const string Name = "list_sources";

    public static ToolEntry Entry { get; } = new(new Tool
    {
        Name = Name,
        Title = "List workplace sources",
        Description = "Lists each source (google_drive, notion, sharepoint, files): whether your token grants it, whether you have connected it and where to connect it if not, " +
            "whether it is an emulated provider, whether it is paused after repeated failures (and until when), and what its search matches.",
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

    /// <summary>The source's name as people know it, e.g. "Google Drive".</summary>
    public static string Title(string source) => s_titles.GetValueOrDefault(source, source);

    private const string NotDeployed = "Not deployed on this server: no connector serves it. Ask the server's operator to enable it.";

    public async Task<CallToolResult> CallAsync(IDictionary<string, JsonElement>? arguments, ClaimsPrincipal user, ClientElicitation client, CancellationToken cancellationToken)
    {
        var values = new ToolArguments(arguments);
        values.RejectUnknown();
        if (values.Errors.Count > 0)
        {
            return ToolResults.Error(Name, values.Errors);
        }

        var principal = access.Principal(user);
        var listing = ListAsync(connectors.GetSourcesAsync(principal, cancellationToken), r => r.Sources);
        var connecting = ListAsync(connectors.GetConnectionsAsync(principal, cancellationToken), r => r.Connections);
        var (descriptors, sourcesProblem) = await listing;
        var (connections, connectionsProblem) = await connecting;

        var notes = new List<string>();
        if (sourcesProblem is not null)
        {
            notes.Add($"The connectors service could not list sources ({sourcesProblem}); what each source is and whether it is deployed is unknown. Retry later.");
        }
        else if (connectionsProblem is not null)
        {
            notes.Add($"The connectors service could not say which sources you have connected ({connectionsProblem}); a source that needs connecting shows its connect URL. Retry later.");
        }

        var sources = SourceIds.All.Select(id =>
        {
            var descriptor = descriptors.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.Ordinal));
            var connected = descriptor switch
            {
                null => false,
                { RequiresConnection: false } => true,
                _ => connections.Any(c => string.Equals(c.Source, id, StringComparison.Ordinal) && c.Connected),
            };
            var connectUrl = descriptor is { RequiresConnection: true } && !connected ? links.For(user, id) : null;
            return new SourceInfo(id, descriptor?.Title ?? s_titles[id], principal.GrantedSources.Contains(id), connected, descriptor?.Emulated ?? false,
                connectUrl, descriptor?.PausedUntil, descriptor?.Description ?? (sourcesProblem is null ? NotDeployed : null));
        }).ToList();

        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = Describe(sources, notes) }],
            StructuredContent = JsonSerializer.SerializeToElement(new SourceListOutcome(sources), WorkplaceJsonContext.Default.SourceListOutcome),
        };
    }

    /// <returns>The items, or none and what went wrong.</returns>
    private static async Task<(IReadOnlyList<TItem> Items, string? Problem)> ListAsync<TList, TItem>(Task<ConnectorResult<TList>> call, Func<TList, IReadOnlyList<TItem>> items)
        where TList : class
    {
        try
        {
            var result = await call;
            return result.Succeeded ? (items(result.Value!), null) : ([], result.Message);
        }
        catch (HttpRequestException)
        {
            return ([], "it is unreachable");
        }
    }

    private static string Describe(IReadOnlyList<SourceInfo> sources, IReadOnlyList<string> notes)
    {
        var text = new StringBuilder("Sources:");
        foreach (var s in sources)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- {s.Source} ({s.Title}): ");
            text.Append(s.Granted ? "granted" : $"not granted (needs scope {SourceIds.ReadScope(s.Source)})");
            text.Append(s.Connected ? ", connected" : s.ConnectUrl is { } url ? $", not connected (connect: {url})" : ", not available");
            if (s.Emulated)
            {
                text.Append(", emulated provider (Workplace.Emulators with sample data, not the real service)");
            }
            if (s.PausedUntil is { } until)
            {
                text.Append(CultureInfo.InvariantCulture, $", paused after repeated failures until {until.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}");
            }
            if (s.Description is { } description)
            {
                text.Append(CultureInfo.InvariantCulture, $". {description}");
            }
        }
        foreach (var note in notes)
        {
            text.Append('\n').Append(note);
        }
        return text.ToString();
    }
}
