using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Workplace.Tests.Connectors;

/// <summary>Writes a real .docx with a core title, heading styles, emphasis, bulleted and numbered lists, and a table.</summary>
public static class DocxFixture
{
    public static void Write(string path)
    {
        using var document = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document);
        document.PackageProperties.Title = "Employee Handbook";
        var main = document.AddMainDocumentPart();
        main.AddNewPart<StyleDefinitionsPart>().Styles = new Styles(
            new Style(new StyleName { Val = "heading 1" }) { Type = StyleValues.Paragraph, StyleId = "Heading1" },
            new Style(new StyleName { Val = "heading 2" }) { Type = StyleValues.Paragraph, StyleId = "Heading2" });
        main.AddNewPart<NumberingDefinitionsPart>().Numbering = new Numbering(
            new AbstractNum(new Level(new NumberingFormat { Val = NumberFormatValues.Bullet }) { LevelIndex = 0 }) { AbstractNumberId = 1 },
            new AbstractNum(new Level(new NumberingFormat { Val = NumberFormatValues.Decimal }) { LevelIndex = 0 }) { AbstractNumberId = 2 },
            new NumberingInstance(new AbstractNumId { Val = 1 }) { NumberID = 1 },
            new NumberingInstance(new AbstractNumId { Val = 2 }) { NumberID = 2 });
        main.Document = new Document(new Body(
            Styled("Heading1", "Benefits"),
            new Paragraph(
                new Run(new Text("Dental cover is ") { Space = SpaceProcessingModeValues.Preserve }),
                new Run(new RunProperties(new Bold()), new Text("included")),
                new Run(new Text(" for ") { Space = SpaceProcessingModeValues.Preserve }),
                new Run(new RunProperties(new Italic()), new Text("every")),
                new Run(new Text(" employee zebracrossing."))),
            Styled("Heading2", "Perks"),
            ListItem(1, "Gym membership"),
            ListItem(1, "Free lunch"),
            ListItem(2, "Apply online"),
            ListItem(2, "Wait for approval"),
            new Table(
                Row("Plan", "Cost"),
                Row("Basic", "Free"))));
    }

    private static Paragraph Styled(string style, string text) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = style }), new Run(new Text(text)));

    private static Paragraph ListItem(int numbering, string text) =>
        new(new ParagraphProperties(new NumberingProperties(new NumberingLevelReference { Val = 0 }, new NumberingId { Val = numbering })), new Run(new Text(text)));

    private static TableRow Row(params string[] cells) =>
        new(cells.Select(c => new TableCell(new Paragraph(new Run(new Text(c))))));
}
