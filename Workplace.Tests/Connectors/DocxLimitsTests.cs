using System.IO.Compression;
using System.Text;
using Workplace.Connectors.Content;

namespace Workplace.Tests.Connectors;

public sealed class DocxLimitsTests
{
    [Fact]
    public void A_docx_that_unpacks_past_the_limit_is_refused_before_it_is_parsed()
    {
        using var bomb = new MemoryStream();
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("word/document.xml", CompressionLevel.Fastest).Open();
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var written = 0L; written <= DocxToMarkdown.MaxUnpackedBytes; written += spaces.Length)
            {
                entry.Write(spaces);
            }
        }
        bomb.Position = 0;

        var error = Assert.Throws<InvalidDataException>(() => DocumentFormats.Convert("bomb.docx", bomb));

        Assert.True(bomb.Length < 1024 * 1024, $"The package should be small on disk; it is {bomb.Length} bytes.");
        Assert.Contains("more than the 67108864 a Word document may", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_docx_within_the_limit_converts()
    {
        using var package = new MemoryStream();
        using (var zip = new ZipArchive(package, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>""");
            Write(zip, "_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>""");
            Write(zip, "word/document.xml", """<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Quarterly burn multiple stays under two.</w:t></w:r></w:p></w:body></w:document>""");
        }
        package.Position = 0;

        var document = DocumentFormats.Convert("plan.docx", package);

        Assert.Equal("Quarterly burn multiple stays under two.", document.Markdown.Trim());
    }

    private static void Write(ZipArchive zip, string name, string text)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }
}
