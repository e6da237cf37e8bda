using System.Text;
using Workplace.Connectors.Content;

namespace Workplace.Connectors.Sources.GoogleDrive;

/// <summary>A Google Sheet as Drive exports it to text/csv (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes), as a Markdown table.</summary>
public static class SheetCsv
{
    // A table cell is one line: a line break inside a field reads as a space.
    public static string ToMarkdown(Stream csv) =>
        MarkdownTable.Render(Rows(PlainText.Read(csv)).Select(row => row.Select(cell => cell.ReplaceLineEndings(" ")).ToList())) + "\n";

    public static IEnumerable<IReadOnlyList<string>> Rows(string csv)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                yield return row;
                row = [];
            }
            else
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }
}
