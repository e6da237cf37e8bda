namespace Workplace.Connectors.Content;

/// <summary>A GitHub-flavoured Markdown table from rows of cell text; the first row is the header.</summary>
internal static class MarkdownTable
{
    public static string Render(IEnumerable<IReadOnlyList<string>> cells)
    {
        // Pipes inside a cell would end it; ragged rows are padded so every row has the header's width or more.
        var rows = cells.Where(r => r.Count > 0)
            .Select(r => r.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)).ToList())
            .ToList();
        if (rows.Count == 0)
        {
            return "";
        }
        var columns = rows.Max(r => r.Count);
        string Row(List<string> row) => "| " + string.Join(" | ", row.Concat(Enumerable.Repeat("", columns - row.Count))) + " |";
        var lines = new List<string> { Row(rows[0]), "|" + string.Concat(Enumerable.Repeat(" --- |", columns)) };
        lines.AddRange(rows.Skip(1).Select(Row));
        return string.Join("\n", lines);
    }
}
