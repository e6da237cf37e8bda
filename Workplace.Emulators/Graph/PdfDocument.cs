using System.Globalization;
using System.Text;

namespace Workplace.Emulators.Graph;

/// <summary>
/// A minimal valid PDF of plain text: Helvetica, WinAnsi, one text line per source line, wrapped, 50 lines a page.
/// Written by hand because the Emulators need only this one text-only document and no PDF writer is referenced here.
/// </summary>
public static class PdfDocument
{
    private const int LinesPerPage = 50;
    private const int Columns = 95;

    /// <summary>The text as the PDF holds it: characters outside WinAnsi spelled in ASCII.</summary>
    public static string Printable(string text) =>
        new([.. text.Replace("—", "-", StringComparison.Ordinal).Replace("–", "-", StringComparison.Ordinal)
            .Replace("≥", ">=", StringComparison.Ordinal).Replace("≤", "<=", StringComparison.Ordinal)
            .Replace("→", "->", StringComparison.Ordinal).Replace("’", "'", StringComparison.Ordinal)
            .Replace("“", "\"", StringComparison.Ordinal).Replace("”", "\"", StringComparison.Ordinal)
            .Select(c => c > '\u00ff' ? '?' : c)]);

    public static byte[] Write(string text)
    {
        var lines = text.Split('\n').SelectMany(Wrap).ToList();
        var pages = lines.Chunk(LinesPerPage).ToList();
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            $"<< /Type /Pages /Kids [{string.Join(' ', pages.Select((_, i) => $"{4 + 2 * i} 0 R"))}] /Count {pages.Count} >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        };
        foreach (var (page, index) in pages.Select((p, i) => (p, i)))
        {
            var stream = new StringBuilder("BT /F1 10 Tf 14 TL 50 760 Td\n");
            foreach (var line in page)
            {
                stream.Append('(').Append(Escape(line)).Append(") '\n");
            }
            stream.Append("ET");
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * index} 0 R >>");
            objects.Add($"<< /Length {Encoding.Latin1.GetByteCount(stream.ToString())} >>\nstream\n{stream}\nendstream");
        }

        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        foreach (var (body, index) in objects.Select((o, i) => (o, i)))
        {
            offsets.Add(Encoding.Latin1.GetByteCount(pdf.ToString()));
            pdf.Append(CultureInfo.InvariantCulture, $"{index + 1} 0 obj\n{body}\nendobj\n");
        }
        var xref = Encoding.Latin1.GetByteCount(pdf.ToString());
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    private static IEnumerable<string> Wrap(string line)
    {
        var rest = line.TrimEnd('\r');
        while (rest.Length > Columns)
        {
            var cut = rest.LastIndexOf(' ', Columns);
            cut = cut <= 0 ? Columns : cut;
            yield return rest[..cut];
            rest = rest[cut..].TrimStart();
        }
        yield return rest;
    }

    private static string Escape(string line) =>
        line.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("(", "\\(", StringComparison.Ordinal).Replace(")", "\\)", StringComparison.Ordinal);
}
