using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Workplace.McpApi.Mcp;
using Workplace.McpApi.Search;
using Workplace.McpApi.Sources;

namespace Workplace.McpApi.Tools;

public sealed class SearchTool(SearchService search, ConnectPrompts prompts) : IWorkplaceTool
{
    public const string Name = "search";
    public const int MaxQueryLength = 500;
    public const int MaxSources = 5;
    public const int MaxResults = 50;
    public const int DefaultMaxResults = 10;

    public static ToolEntry Entry { get; } = new(new Tool
    {
        Name = Name,
        Title = "Search workplace documents",
        Description = "Searches the caller's workplace documents (Google Drive, Notion, SharePoint/OneDrive, files) live, with the caller's own permissions, " +
            "in every source at once. Returns ranked results with ids for the fetch tool, and a status per source (ok, timeout, error, rate_limited, unauthorized, not_connected, not_deployed). " +
            "Ask in plain words or a whole question: the query is planned into keywords, quoted phrases and dates for each source's own search, and the union is re-ranked against the whole question. " +
            "When more results exist the answer holds next_cursor: pass it as cursor, with the same query, sources and modified_after, for the next page without repeats. " +
            "include_content adds the start of each returned result's Markdown, all results sharing one budget. " +
            "A source you have not connected answers not_connected with a connect_url; clients with URL-mode elicitation are asked to open it (for a source named in sources every time, otherwise at most once in 10 minutes).",
        InputSchema = ToolSchemas.Parse(ToolSchemas.SearchInput),
        OutputSchema = ToolSchemas.Parse(ToolSchemas.SearchOutput),
        Annotations = new ToolAnnotations { Title = "Search workplace documents", ReadOnlyHint = true, DestructiveHint = false, IdempotentHint = false, OpenWorldHint = true },
    }, typeof(SearchTool), RequestedSources, MayElicit: true);

    // The first page of a cached list is the same instance on every hit (SearchService), so its answer is built and
    // serialized once (SerializedToolResults). The text quotes the query as asked, so another spelling of the same query
    // builds its own.
    private static readonly ConditionalWeakTable<SearchOutcome, Answer> s_answers = [];

    private static readonly string[] s_argumentNames = ["query", "sources", "max_results", "include_content", "modified_after", "cursor"];

    // Named sources are checked before the call; without `sources` the search covers only what the token grants.
    private static IReadOnlyCollection<string> RequestedSources(IDictionary<string, JsonElement>? arguments) =>
        arguments is not null && arguments.TryGetValue("sources", out var sources) && sources.ValueKind == JsonValueKind.Array
            ? [.. sources.EnumerateArray()
                .Where(s => s.ValueKind == JsonValueKind.String && SourceIds.All.Contains(s.GetString()!, StringComparer.Ordinal))
                .Select(s => s.GetString()!)
                .Distinct(StringComparer.Ordinal)]
            : [];

    public static SearchArguments? Parse(IDictionary<string, JsonElement>? values, out IReadOnlyList<string> errors)
    {
        var reader = new ToolArguments(values);
        reader.RejectUnknown(s_argumentNames);
        var query = reader.Text("query", 1, MaxQueryLength, required: true);
        if (query is not null && string.IsNullOrWhiteSpace(query))
        {
            query = null;
            reader.RejectBlank("query");
        }
        var sources = reader.StringSet("sources", MaxSources, SourceIds.All);
        var maxResults = reader.WholeNumber("max_results", DefaultMaxResults, 1, MaxResults);
        var includeContent = reader.Boolean("include_content", false);
        var modifiedAfter = reader.Timestamp("modified_after");
        var cursor = reader.Text("cursor", 1, SearchCursor.MaxLength, required: false);
        errors = reader.Errors;
        return errors.Count == 0 ? new SearchArguments(query!.Trim(), sources, maxResults, includeContent, modifiedAfter, cursor) : null;
    }

    public async Task<CallToolResult> CallAsync(IDictionary<string, JsonElement>? arguments, ClaimsPrincipal user, ClientElicitation client, CancellationToken cancellationToken)
    {
        if (Parse(arguments, out var errors) is not { } parsed)
        {
            return ToolResults.Error(Name, errors);
        }
        // A retried call carries the user's answers: the search runs again (a source just connected now answers), and
        // whatever is still not connected is reported with its URL rather than asked about again in the same call.
        SearchOutcome outcome;
        try
        {
            outcome = await search.SearchAsync(parsed, user, cancellationToken);
        }
        catch (SearchCursorException e)
        {
            return ToolResults.Error(Name, [e.Message]);
        }
        if (client.Mode != UrlElicitationMode.None && client.Responses is null)
        {
            await AskToConnectAsync(parsed, outcome, user, client.Mode, cancellationToken);
        }

        var answer = s_answers.GetValue(outcome, page => Answer.Of(parsed.Query, page));
        if (answer.Query != parsed.Query)
        {
            answer = Answer.Of(parsed.Query, outcome);
        }
        return answer.Result;
    }

    private sealed record Answer(string Query, CallToolResult Result)
    {
        public static Answer Of(string query, SearchOutcome outcome) => new(query, SerializedToolResults.Freeze(new CallToolResult
        {
            Content =
            [
                new TextContentBlock { Text = Summarize(query, outcome) },
                // A link names its document; the snippet is already in the text and the JSON, and a third copy would
                // cost the agent's context as much as the bytes on the wire.
                .. outcome.Results.Select(r => new ResourceLinkBlock
                {
                    Uri = DocumentIds.ToUri(r.Source, r.Id),
                    Name = r.Id,
                    Title = r.Title,
                    MimeType = "text/markdown",
                }),
            ],
            StructuredContent = JsonSerializer.SerializeToElement(outcome, WorkplaceJsonContext.Default.SearchOutcome),
        }));
    }

    // Throws what makes the SDK ask the client to open each connect URL; returns when nothing is to be asked.
    private async Task AskToConnectAsync(SearchArguments arguments, SearchOutcome outcome, ClaimsPrincipal user, UrlElicitationMode mode, CancellationToken cancellationToken)
    {
        var unconnected = outcome.Sources.Where(s => s is { Status: SourceStatusCodes.NotConnected, ConnectUrl: not null }).ToList();
        if (unconnected.Count == 0)
        {
            return;
        }
        var ask = await prompts.ToAskAsync(user, unconnected.Select(s => s.Source), arguments.Sources, cancellationToken);
        var asked = unconnected.Where(s => ask.Contains(s.Source)).ToList();
        if (asked.Count == 0)
        {
            return;
        }
        // The URL goes only in the url field: the spec forbids it anywhere else in an elicitation.
        static string Why(string source) =>
            $"Connect your {ListSourcesTool.Title(source)} account so Workplace can search it as you: sign in and allow read access in the page that opens, then come back.";
        if (mode == UrlElicitationMode.InputRequired)
        {
            throw new InputRequiredException(
                asked.ToDictionary(s => InputKey(s.Source), s => InputRequest.ForElicitation(new ElicitRequestParams { Mode = "url", Url = s.ConnectUrl, Message = Why(s.Source) }), StringComparer.Ordinal),
                requestState: null);
        }
        throw new UrlElicitationRequiredException(
            $"{string.Join(" and ", asked.Select(s => ListSourcesTool.Title(s.Source)))} must be connected before this search: open the link, connect, then call search again.",
            asked.Select(s => new ElicitRequestParams { Mode = "url", ElicitationId = Guid.NewGuid().ToString("N"), Url = s.ConnectUrl, Message = Why(s.Source) }));
    }

    /// <summary>The key of the input request that asks to connect <paramref name="source"/>.</summary>
    public static string InputKey(string source) => "connect_" + source;

    private static string Summarize(string query, SearchOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{outcome.Results.Count} result(s) for \"{query}\".");
        foreach (var (result, index) in outcome.Results.Select((r, i) => (r, i + 1)))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{index}. {result.Title} ({result.Source}, modified {result.Modified:yyyy-MM-dd})\n   id: {result.Id}\n   url: {result.Url}");
            if (result.Snippet.Length > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n   {result.Snippet}");
            }
        }
        text.Append("\nSources:");
        foreach (var source in outcome.Sources)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n- {source.Source}: {source.Status}, {source.Count} result(s), {source.LatencyMs} ms");
            if (source.Message is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $" ({source.Message}{(source.ConnectUrl is null ? "" : $" Connect: {source.ConnectUrl}")})");
            }
        }
        if (outcome.Results.Count > 0)
        {
            text.Append("\nRead a result with the fetch tool and its id.");
        }
        if (outcome.NextCursor is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nMore results: search again with the same arguments and cursor = {outcome.NextCursor}");
        }
        return text.ToString();
    }
}
