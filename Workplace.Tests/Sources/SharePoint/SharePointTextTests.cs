using Workplace.Connectors.Sources;
using Workplace.Connectors.Sources.SharePoint;

namespace Workplace.Tests.Sources.SharePoint;

/// <summary>The sharepoint source's pure translations: ids, queries, summaries and titles.</summary>
public sealed class SharePointTextTests
{
    [Fact]
    public void AnId_RoundTrips_ForGraphsIdShapes()
    {
        var native = SharePointItemId.Encode("b!Xy-_9aBc", "01ABCDEF");
        var personal = SharePointItemId.Encode("d4648f06c91d9d3d", "D4648F06C91D9D3D!54927");

        Assert.True(SharePointItemId.TryDecode(native, out var drive, out var item, out _));
        Assert.Equal(("b!Xy-_9aBc", "01ABCDEF"), (drive, item));
        Assert.True(SharePointItemId.TryDecode(personal, out drive, out item, out _));
        Assert.Equal(("d4648f06c91d9d3d", "D4648F06C91D9D3D!54927"), (drive, item));
    }

    [Theory]
    [InlineData("cats", "cats")]
    [InlineData("quarterly review", "quarterly review")]
    [InlineData("\"quarterly review\" finance", "\"quarterly review\" finance")]
    [InlineData("author:renata", "author renata")]
    [InlineData("a OR b NOT c", "b c")]
    [InlineData("x NEAR y", "x \"near\" y")]
    [InlineData("-secret robot*", "secret robot")]
    [InlineData("\"unclosed phrase", "\"unclosed phrase\"")]
    [InlineData("back\\\"slash", "back slash")]
    public void UserQueries_BecomeKqlOfWordsOnly(string query, string kql)
    {
        Assert.Equal(kql, GraphQuery.ToKql(query));
    }

    [Theory]
    [InlineData("* ( ) : -")]
    [InlineData("\"\"")]
    [InlineData("   ")]
    public void AQueryWithoutWords_HasNoKql(string query)
    {
        Assert.Null(GraphQuery.ToKql(query));
    }

    [Theory]
    [InlineData("the <c0>handoff</c0> list <ddd/> next <c0>Handoff</c0> <ddd/>", "the **handoff** list … next **Handoff** …")]
    [InlineData("<c0>on-call</c0> <c0>handoff</c0>", "**on-call** **handoff**")]
    [InlineData("a <b>bold</b> claim &amp; more", "a bold claim & more")]
    [InlineData("<c0> </c0>empty mark", "empty mark")]
    [InlineData(null, "")]
    public void GraphSummaries_BecomeSnippetsWithBoldMatches(string? summary, string snippet)
    {
        Assert.Equal(snippet, GraphSummary.ToSnippet(summary));
    }

    [Theory]
    [InlineData("Budget\u0007\n2026.xlsx", "Budget2026.xlsx")]
    [InlineData("invoice\u202Etxt.exe", "invoicetxt.exe")]
    [InlineData("\u2066report\u2069.docx", "report.docx")]
    [InlineData("  \u0000 ", "(untitled)")]
    [InlineData(null, "(untitled)")]
    [InlineData("Retro 2026-03 Zürich.md", "Retro 2026-03 Zürich.md")]
    public void Titles_LoseControlAndDirectionCharacters(string? name, string title)
    {
        Assert.Equal(title, ProviderText.Title(name));
    }
}
