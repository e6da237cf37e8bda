namespace Workplace.Connectors.Content;

/// <summary>The formats this service turns into Markdown, by file extension.</summary>
public static class DocumentFormats
{
    private static readonly Dictionary<string, string> s_mimeTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".md"] = "text/markdown",
        [".markdown"] = "text/markdown",
        [".txt"] = "text/plain",
        [".html"] = "text/html",
        [".htm"] = "text/html",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".pdf"] = "application/pdf",
    };

    public static bool IsSupported(string path) => s_mimeTypes.ContainsKey(Path.GetExtension(path));

    public static string MimeType(string path) => s_mimeTypes.TryGetValue(Path.GetExtension(path), out var mime) ? mime : "application/octet-stream";

    /// <summary>Converts the stream's content, chosen by <paramref name="fileName"/>'s extension.</summary>
    public static ConvertedDocument Convert(string fileName, Stream content) => ConvertMimeType(MimeType(fileName), content)
        ?? throw new NotSupportedException($"'{Path.GetExtension(fileName)}' files cannot be converted to Markdown.");

    /// <summary>Whether a provider's file of <paramref name="mimeType"/> can be read as Markdown.</summary>
    public static bool IsSupportedMimeType(string mimeType) => s_mimeTypes.ContainsValue(mimeType);

    /// <summary>Converts a provider's file by the MIME type the provider gives it; null when the type has no converter.</summary>
    public static ConvertedDocument? ConvertMimeType(string mimeType, Stream content) => mimeType switch
    {
        "text/markdown" => MarkdownText.Read(content),
        "text/plain" => new ConvertedDocument(null, PlainText.Read(content)),
        "text/html" => HtmlToMarkdown.Convert(content),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => DocxToMarkdown.Convert(content),
        "application/pdf" => PdfToMarkdown.Convert(content),
        _ => null,
    };
}
