using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using Workplace.Connectors.Content;
using Workplace.Emulators.Graph;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Content;

/// <summary>Real PDFs (the Graph emulator's writer, PdfPig's own builder, hand-made damaged and encrypted files) through the converter.</summary>
public sealed partial class PdfToMarkdownTests
{
    private static readonly string s_spec = PdfDocument.Printable(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "samples/workspace/product/specs/wren-amr-docking-spec.md")));

    [Fact]
    public void EveryWord_OfAMultiPagePdf_ComesOutInOrder()
    {
        var document = Convert(PdfDocument.Write(s_spec));

        Assert.Equal(Words(s_spec), Words(document.Markdown.Replace(PdfToMarkdown.PageBreak, "\n\n", StringComparison.Ordinal)));
    }

    [Fact]
    public void Pages_AreSeparatedByAThematicBreak_OnItsOwnParagraph()
    {
        var text = string.Join('\n', Enumerable.Range(1, 120).Select(i => $"Line {i} of the docking procedure."));

        var markdown = Convert(PdfDocument.Write(text)).Markdown;

        // 50 lines a page: three pages, two breaks, and the line before each break stays a line (never a setext heading).
        Assert.Equal(2, Regex.Count(markdown, "\n\n---\n\n"));
        var pages = markdown.Split(PdfToMarkdown.PageBreak);
        Assert.EndsWith("Line 50 of the docking procedure.", pages[0], StringComparison.Ordinal);
        Assert.StartsWith("Line 51 of the docking procedure.", pages[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Paragraphs_SeparatedByBlankLines_StaySeparate_AndTheirLinesStayLines()
    {
        var markdown = Convert(PdfDocument.Write("First paragraph, line one.\nFirst paragraph, line two.\n\n\n\nSecond paragraph after a gap.")).Markdown;

        Assert.Equal("First paragraph, line one.\nFirst paragraph, line two.\n\nSecond paragraph after a gap.", markdown);
    }

    [Fact]
    public void TheTitle_ComesFromTheDocumentInformation()
    {
        var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = "Wren AMR docking specification";
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        builder.AddPage(PageSize.A4).AddText("Dock alignment tolerance is two millimetres.", 12, new UglyToad.PdfPig.Core.PdfPoint(50, 700), font);

        var document = Convert(builder.Build());

        Assert.Equal("Wren AMR docking specification", document.Title);
        Assert.Equal("Dock alignment tolerance is two millimetres.", document.Markdown);
    }

    [Fact]
    public void APdfWithoutTitle_HasNone()
    {
        Assert.Null(Convert(PdfDocument.Write("No title here.")).Title);
    }

    [Fact]
    public void AnEncryptedPdf_IsRefused_SayingItIsEncrypted()
    {
        var error = Assert.Throws<InvalidDataException>(() => Convert(Encrypted()));

        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a pdf at all")]
    [InlineData("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R")]
    public void ADamagedPdf_IsRefused_WithAClearError(string content)
    {
        var error = Assert.Throws<InvalidDataException>(() => Convert(Encoding.Latin1.GetBytes(content)));

        Assert.Contains("not a readable PDF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATruncatedPdf_IsRefused_WithAClearError()
    {
        var whole = PdfDocument.Write(s_spec);

        Assert.Throws<InvalidDataException>(() => Convert(whole[..(whole.Length / 3)]));
    }

    [Fact]
    public void DocumentFormats_ConvertsPdf_ByMimeTypeAndByExtension()
    {
        var bytes = PdfDocument.Write("Converted by type.");

        Assert.Equal("Converted by type.", DocumentFormats.ConvertMimeType("application/pdf", new MemoryStream(bytes))!.Markdown);
        Assert.Equal("Converted by type.", DocumentFormats.Convert("spec.PDF", new MemoryStream(bytes)).Markdown);
        Assert.True(DocumentFormats.IsSupportedMimeType("application/pdf"));
        Assert.Equal("application/pdf", DocumentFormats.MimeType("x.pdf"));
    }

    private static ConvertedDocument Convert(byte[] pdf) => PdfToMarkdown.Convert(new MemoryStream(pdf));

    private static IReadOnlyList<string> Words(string text) => [.. WordPattern().Matches(text).Select(m => m.Value)];

    // The emulator's PDF with a standard security handler whose password is not empty: readers must refuse it.
    private static byte[] Encrypted()
    {
        var pdf = Encoding.Latin1.GetString(PdfDocument.Write("Secret text."));
        var trailerAt = pdf.LastIndexOf("trailer", StringComparison.Ordinal);
        var xrefAt = pdf.LastIndexOf("xref\n", trailerAt, StringComparison.Ordinal);
        var objects = Regex.Matches(pdf[..xrefAt], @"(\d+) 0 obj\n").ToList();
        var count = objects.Count;
        var body = new StringBuilder(pdf[..xrefAt]);
        var encryptOffset = body.Length;
        var key = new string('A', 64);
        body.Append(CultureInfo.InvariantCulture, $"{count + 1} 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <{key}> /U <{key}> /P -44 >>\nendobj\n");
        var xref = body.Length;
        body.Append(CultureInfo.InvariantCulture, $"xref\n0 {count + 2}\n0000000000 65535 f \n");
        foreach (var match in objects)
        {
            body.Append(CultureInfo.InvariantCulture, $"{match.Index:D10} 00000 n \n");
        }
        body.Append(CultureInfo.InvariantCulture, $"{encryptOffset:D10} 00000 n \n");
        body.Append(CultureInfo.InvariantCulture,
            $"trailer\n<< /Size {count + 2} /Root 1 0 R /Encrypt {count + 1} 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(body.ToString());
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
