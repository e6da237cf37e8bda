using System.Security.Claims;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Workplace.McpApi.Tools;

/// <summary>The resource template <c>workplace://documents/{source}/{id}</c>: a document as Markdown.</summary>
internal sealed class DocumentResource : McpServerResource
{
    // A resource read returns at most this much; the text then says how to read on with fetch, so nothing is cut silently.
    private const int MaxChars = FetchTool.MaxChars;

    private static readonly ResourceTemplate s_template = new()
    {
        UriTemplate = DocumentIds.UriTemplate,
        Name = "document",
        Title = "Workplace document",
        Description = "A document from google_drive, notion, sharepoint or files, as Markdown. The id is one search returned (URL-encoded).",
        MimeType = "text/markdown",
    };

    public override ResourceTemplate ProtocolResourceTemplate => s_template;

    public override Resource? ProtocolResource => null;

    public override IReadOnlyList<object> Metadata => [];

    public override bool IsMatch(string uri) => uri.StartsWith(DocumentIds.UriPrefix, StringComparison.Ordinal);

    public override async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken = default)
    {
        var uri = request.Params?.Uri;
        if (!DocumentIds.TryParseUri(uri, out _, out var id))
        {
            throw new McpProtocolException(
                $"'{uri}' is not a document URI. Use {DocumentIds.UriTemplate} with an id search returned, URL-encoded.", McpErrorCode.InvalidParams);
        }
        var reader = (request.Services ?? throw new InvalidOperationException("The MCP server was created without request services."))
            .GetRequiredService<DocumentReader>();
        var (document, problem) = await reader.ReadAsync(id, 0, MaxChars, request.User ?? new ClaimsPrincipal(), cancellationToken);
        if (document is null)
        {
            // 2026-07-28 reports a missing resource as invalid params; earlier revisions have their own code.
            var version = request.JsonRpcRequest.Context?.ProtocolVersion;
            throw new McpProtocolException(problem!, McpRevisions.IsJuly2026OrLater(version) ? McpErrorCode.InvalidParams : McpErrorCode.ResourceNotFound);
        }
        return new ReadResourceResult
        {
            Contents = [new TextResourceContents { Uri = uri!, MimeType = "text/markdown", Text = DocumentReader.ToMarkdown(document) }],
        };
    }
}
