using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.PageSegmenter;
using UglyToad.PdfPig.DocumentLayoutAnalysis.ReadingOrderDetector;
using UglyToad.PdfPig.DocumentLayoutAnalysis.WordExtractor;
using UglyToad.PdfPig.Exceptions;

namespace Workplace.Connectors.Content;

/// <summary>
/// PDF → Markdown with PdfPig: each page's text blocks (Docstrum layout analysis, in reading order) become
/// paragraphs, their lines kept as lines; pages are separated by a thematic break. The title is the document
/// information's Title. PDF carries no structure a reader could rely on (headings, lists), so none is guessed.
/// </summary>
public static class PdfToMarkdown
{
    /// <summary>Between pages: a blank line on each side, so the rule can never turn the line above into a heading.</summary>
    public const string PageBreak = "\n\n---\n\n";

    /// <exception cref="InvalidDataException">The PDF is encrypted, or is no PDF that can be read.</exception>
    public static ConvertedDocument Convert(Stream content)
    {
        try
        {
            using var document = PdfDocument.Open(content);
            var pages = new List<string>();
            foreach (var page in document.GetPages())
            {
                var words = NearestNeighbourWordExtractor.Instance.GetWords(page.Letters);
                var blocks = DocstrumBoundingBoxes.Instance.GetBlocks(words);
                var ordered = UnsupervisedReadingOrderDetector.Instance.Get(blocks);
                var paragraphs = ordered
                    .Select(block => string.Join('\n', block.TextLines.Select(line => line.Text.Trim()).Where(line => line.Length > 0)))
                    .Where(paragraph => paragraph.Length > 0);
                var text = string.Join("\n\n", paragraphs);
                if (text.Length > 0)
                {
                    pages.Add(text);
                }
            }
            var title = document.Information.Title?.Trim();
            return new ConvertedDocument(string.IsNullOrEmpty(title) ? null : title, string.Join(PageBreak, pages));
        }
        catch (PdfDocumentEncryptedException e)
        {
            throw new InvalidDataException("The PDF is encrypted: its text cannot be read without the password. Open it in the provider and save an unprotected copy.", e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Besides PdfDocumentFormatException, PdfPig reports damage from deep inside its parser with general exceptions
            // (InvalidOperationException, IndexOutOfRangeException, ...): all of them mean the file is not a readable PDF.
            throw new InvalidDataException("The file is not a readable PDF: it is damaged or not a PDF at all.", e);
        }
    }
}
