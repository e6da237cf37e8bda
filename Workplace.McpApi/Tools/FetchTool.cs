using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using Workplace.McpApi.Auth;
using Workplace.McpApi.Connect;
using Workplace.McpApi.Search;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.McpApi.Tools;

public sealed class FetchTool(DocumentReader reader) : IWorkplaceTool
{
    public const string Name = "fetch";
    public const int DefaultMaxChars = 20_000;
    public const int MaxChars = 100_000;

    public static ToolEntry Entry { get; } = new(new Tool
    {
        Name = Name,
        Title = "Read a workplace document",
        Description = "Reads one document, by the id search returned, as Markdown with its title, url and modified time. Long documents come in ranges: " +
            "when truncated is true, call again with offset = next_offset. Documents are never cut silently.",
        InputSchema = ToolSchemas.Parse(ToolSchemas.FetchInput),
        OutputSchema = ToolSchemas.Parse(ToolSchemas.FetchOutput),
        Annotations = new ToolAnnotations { Title = "Read a workplace document", ReadOnlyHint = true, DestructiveHint = false, IdempotentHint = true, OpenWorldHint = true },
    }, typeof(FetchTool), RequestedSources);

    private static readonly string[] s_argumentNames = ["id", "offset", "max_chars"];

    private static IReadOnlyCollection<string> RequestedSources(IDictionary<string, JsonElement>? arguments) =>
        arguments is not null && arguments.TryGetValue("id", out var id) && id.ValueKind == JsonValueKind.String && DocumentIds.TryParse(id.GetString(), out var source)
            ? [source]
            : [];

    public async Task<CallToolResult> CallAsync(IDictionary<string, JsonElement>? arguments, ClaimsPrincipal user, ClientElicitation client, CancellationToken cancellationToken)
    {
        var values = new ToolArguments(arguments);
        values.RejectUnknown(s_argumentNames);
        var id = values.Text("id", 3, DocumentIds.MaxLength, required: true);
        var offset = values.WholeNumber("offset", 0, 0, int.MaxValue);
        var maxChars = values.WholeNumber("max_chars", DefaultMaxChars, 1, MaxChars);
        if (id is not null && !DocumentIds.TryParse(id, out _))
        {
            return ToolResults.Error(Name, [.. values.Errors,
                "'id' must be a document id exactly as search returned it: '<source>:<id>' where source is google_drive, notion, sharepoint or files, with URL-safe characters only"]);
        }
        if (values.Errors.Count > 0)
        {
            return ToolResults.Error(Name, values.Errors);
        }

        var (document, problem) = await reader.ReadAsync(id!, offset, maxChars, user, cancellationToken);
        if (document is null)
        {
            return ToolResults.Failure(problem!);
        }
        var outcome = new FetchOutcome(document.Id, document.Source, document.Title, document.Url, document.Modified, document.MimeType,
            document.Content, document.Offset, document.TotalChars, document.NextOffset, document.Truncated);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = DocumentReader.ToMarkdown(document) }],
            StructuredContent = JsonSerializer.SerializeToElement(outcome, WorkplaceJsonContext.Default.FetchOutcome),
        };
    }
}

/// <summary>Reads document ranges from connectors for the fetch tool and the document resource.</summary>
public sealed class DocumentReader(ConnectorClient connectors, ISourceAccess access, ConnectLinks links)
{
    /// <returns>The range, or null and a message for the agent saying what went wrong and what to do.</returns>
    public async Task<(DocumentRange? Document, string? Problem)> ReadAsync(string id, int offset, int maxChars, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var source = DocumentIds.SourceOf(id);
        var principal = access.Principal(user);
        ConnectorResult<DocumentRange> result;
        try
        {
            result = await connectors.GetDocumentAsync(id, offset, maxChars, principal, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return (null, $"The connectors service is unreachable, so {id} cannot be read now. Retry later.");
        }
        if (result.Succeeded)
        {
            return (result.Value, null);
        }
        return (null, result.Failure switch
        {
            ConnectorFailure.NotFound => $"No document {id} is visible to you. Use an id exactly as search returned it; the document may have been deleted or unshared.",
            ConnectorFailure.BadRequest => $"{result.Message} Check the id and offset (offset must be below total_chars).",
            ConnectorFailure.Unauthorized or ConnectorFailure.Forbidden => $"Reading {id} was refused: {result.Message} Reconnect {source} or ask for its scope.",
            ConnectorFailure.NotConnected => string.Create(CultureInfo.InvariantCulture,
                $"{id} cannot be read: {result.Message} Connect {source} here: {links.For(user, source)} (the link is valid for {ConnectLinks.TicketLifetime.TotalMinutes} minutes), then fetch again."),
            ConnectorFailure.RateLimited => string.Create(CultureInfo.InvariantCulture, $"{source} is rate limiting us; retry in {Math.Ceiling(result.RetryAfter?.TotalSeconds ?? 5)} s."),
            ConnectorFailure.Paused => result.RetryAfter is { } wait
                ? string.Create(CultureInfo.InvariantCulture, $"{source} is paused after repeated failures of its provider; {id} can be read again in {Math.Ceiling(wait.TotalSeconds)} s.")
                : $"{source} is paused after repeated failures of its provider; read {id} again in a minute.",
            ConnectorFailure.Timeout => $"{source} did not answer in time for {id}: {result.Message} Retry later.",
            _ => $"{source} failed to return {id}: {result.Message} Retry later.",
        });
    }

    public static string ToMarkdown(DocumentRange document)
    {
        var end = document.Offset + document.Content.Length;
        var position = document.NextOffset is { } next
            ? string.Create(CultureInfo.InvariantCulture, $"Characters {document.Offset}-{end} of {document.TotalChars}; more follows: fetch again with offset {next}.")
            : string.Create(CultureInfo.InvariantCulture, $"Characters {document.Offset}-{end} of {document.TotalChars} (end of document).");
        return string.Create(CultureInfo.InvariantCulture,
            $"# {document.Title}\n\nSource: {document.Source} · URL: {document.Url} · Modified: {document.Modified:yyyy-MM-dd'T'HH:mm:ssK} · Id: {document.Id}\n\n{document.Content}\n\n---\n{position}");
    }
}
