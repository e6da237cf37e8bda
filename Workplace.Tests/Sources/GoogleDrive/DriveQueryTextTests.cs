using System.Text;
using Workplace.Connectors.Sources.GoogleDrive;

namespace Workplace.Tests.Sources.GoogleDrive;

/// <summary>The pieces of the google_drive source that are plain text in, text out: q, snippets, Sheets' CSV.</summary>
public sealed class DriveQueryTextTests
{
    private const string Filter = " and trashed = false and mimeType != 'application/vnd.google-apps.folder'";

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("O'Brien", @"'O\'Brien'")]
    [InlineData(@"C:\path", @"'C:\\path'")]
    [InlineData(@"\'", @"'\\\''")]
    public void Literal_EscapesBackslashesThenQuotes(string value, string expected) =>
        Assert.Equal(expected, DriveSearchQuery.Literal(value));

    [Fact]
    public void OneWord_IsOneTier_WithNoFallback()
    {
        var query = DriveSearchQuery.Parse("Northwind");

        var tier = Assert.Single(query.PrimaryTiers(null));
        Assert.Equal(new DriveSearchTier(1, "fullText contains 'northwind'" + Filter), tier);
        Assert.Null(query.AnyTier(null));
    }

    [Fact]
    public void AQuestion_AsksForItsKeywords_AndAnyOfThemOrItsDate()
    {
        var query = DriveSearchQuery.Parse("what happened in the security incident in November 2025?");

        Assert.Equal(new DriveSearchTier(1, "fullText contains 'security' and fullText contains 'incident'" + Filter), query.PrimaryTiers(null).Single(t => t.Tier == 1));
        var any = query.AnyTier(null)!.Q;
        Assert.Contains("fullText contains '2025-11'", any, StringComparison.Ordinal);
        Assert.Contains("name contains 'incident'", any, StringComparison.Ordinal);
        Assert.DoesNotContain("'what'", any, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralWords_AskThePhrase_EveryWord_ThenAnyWord()
    {
        var query = DriveSearchQuery.Parse("pilot \"demo script\" Reno");

        Assert.Equal(
            [
                new DriveSearchTier(2, "fullText contains '\"demo script pilot reno\"'" + Filter),
                new DriveSearchTier(1, "fullText contains '\"demo script\"' and fullText contains 'pilot' and fullText contains 'reno'" + Filter),
            ],
            query.PrimaryTiers(null));
        Assert.Equal(new DriveSearchTier(0, "(fullText contains '\"demo script\"' or name contains 'demo script' or fullText contains 'pilot' or name contains 'pilot'"
            + " or fullText contains 'demo' or name contains 'demo' or fullText contains 'script' or name contains 'script' or fullText contains 'reno' or name contains 'reno')" + Filter),
            query.AnyTier(null));
        Assert.Equal(["demo", "script", "pilot", "reno"], query.Words);
    }

    [Fact]
    public void OneQuotedPhrase_IsAskedOnce()
    {
        var tier = Assert.Single(DriveSearchQuery.Parse("\"demo script\"").PrimaryTiers(null));

        Assert.Equal(new DriveSearchTier(1, "fullText contains '\"demo script\"'" + Filter), tier);
    }

    [Fact]
    public void ModifiedAfter_IsAnRfc3339UtcBound()
    {
        var query = DriveSearchQuery.Parse("Northwind");

        var tier = Assert.Single(query.PrimaryTiers(new DateTimeOffset(2026, 2, 15, 1, 30, 0, TimeSpan.FromHours(1))));

        Assert.EndsWith(" and modifiedTime > '2026-02-15T00:30:00.000Z'", tier.Q, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x' or name contains '")]
    [InlineData(@"x\' or trashed = true or fullText contains \'")]
    [InlineData("') or (name contains 'a")]
    public void UserQuotes_NeverCloseTheLiteral(string text)
    {
        foreach (var tier in DriveSearchQuery.Parse(text).PrimaryTiers(null))
        {
            // Outside literals only the query's own clause words remain: no term the user typed.
            var outside = OutsideLiterals(tier.Q);
            Assert.DoesNotContain("name", outside, StringComparison.Ordinal);
            Assert.DoesNotContain("trashed = true", outside, StringComparison.Ordinal);
            Assert.DoesNotContain(")", outside.Replace("')", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("x' or name contains '")]
    [InlineData(@"x\' or trashed = true or fullText contains \'")]
    [InlineData("') or (name contains 'a")]
    public void UserQuotes_NeverCloseTheLiteral_OfTheAnyWordTier(string text)
    {
        var outside = OutsideLiterals(DriveSearchQuery.Parse(text).AnyTier(null)!.Q);

        // Only the tier's own clause words stand outside literals.
        var words = outside.Split([' ', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
        Assert.All(words, w => Assert.Contains(w, (string[])["fullText", "name", "contains", "or", "and", "trashed", "=", "false", "mimeType", "!="]));
    }

    [Fact]
    public void ManyWords_AreCappedToAQueryDriveAccepts()
    {
        var query = DriveSearchQuery.Parse(string.Join(' ', Enumerable.Range(0, 200).Select(i => $"w{i}")));

        var every = query.PrimaryTiers(null).Single(t => t.Tier == 1);

        Assert.Equal(12, System.Text.RegularExpressions.Regex.Count(every.Q, "fullText contains"));
        Assert.StartsWith("fullText contains 'w0' and fullText contains 'w1' and", every.Q, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("* ( ) ^ : -")]
    [InlineData("\"\"")]
    [InlineData("   ")]
    public void NoWords_IsEmpty(string text) => Assert.True(DriveSearchQuery.Parse(text).IsEmpty);

    [Fact]
    public void Snippet_MarksEveryQueryWord_AroundTheFirstMatch()
    {
        var text = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"w{i}")) + " Northwind pilot\n\nmore words follow here " + string.Join(' ', Enumerable.Range(0, 40).Select(i => $"v{i}"));

        var snippet = DriveSnippet.Around(text, ["northwind", "pilot"])!;

        Assert.StartsWith("…w32 ", snippet, StringComparison.Ordinal);
        Assert.Contains("w39 **Northwind** **pilot** more words", snippet, StringComparison.Ordinal);
        Assert.EndsWith("…", snippet, StringComparison.Ordinal);
        Assert.Equal(DriveSnippet.WindowWords, System.Text.RegularExpressions.Regex.Count(snippet, @"[\p{L}\p{N}]+"));
    }

    [Fact]
    public void Snippet_OfTextWithoutTheWords_IsNull() =>
        Assert.Null(DriveSnippet.Around("nothing to see", ["northwind"]));

    [Fact]
    public void Opening_CutsLongTextAfterAWindowOfWords()
    {
        var text = string.Join("\n", Enumerable.Range(0, 50).Select(i => $"w{i}"));

        Assert.Equal(string.Join(' ', Enumerable.Range(0, DriveSnippet.WindowWords).Select(i => $"w{i}")) + "…", DriveSnippet.Opening(text));
    }

    [Fact]
    public void SheetCsv_QuotedFieldsAndRaggedRows_BecomeATable()
    {
        var csv = "Site,Robots,Note\r\nReno,24,\"zones B, C\"\r\nTacoma,\"1\"\"0\",\"two\nlines\"\r\nPortland\r\n";

        var markdown = SheetCsv.ToMarkdown(new MemoryStream(Encoding.UTF8.GetBytes(csv)));

        Assert.Equal("| Site | Robots | Note |\n| --- | --- | --- |\n| Reno | 24 | zones B, C |\n| Tacoma | 1\"0 | two lines |\n| Portland |  |  |\n", markdown);
    }

    private static string OutsideLiterals(string q)
    {
        var outside = new StringBuilder();
        var inside = false;
        for (var i = 0; i < q.Length; i++)
        {
            if (inside && q[i] == '\\')
            {
                i++;
            }
            else if (q[i] == '\'')
            {
                inside = !inside;
            }
            else if (!inside)
            {
                outside.Append(q[i]);
            }
        }
        return outside.ToString();
    }
}
