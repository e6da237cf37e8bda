using System.Text.RegularExpressions;
using Workplace.ServiceDefaults.Search;

namespace Workplace.Tests.Search;

public sealed partial class QueryPlanTests
{
    [Theory]
    [InlineData("how are performance reviews run", new[] { "performance", "reviews" })]
    [InlineData("the fleet console is down, what do I do", new[] { "fleet", "console", "down" })]
    [InlineData("Who reports to whom in the company?", new[] { "reports", "company" })]
    [InlineData("RFC-017 Fleet API v2", new[] { "rfc", "017", "fleet", "api", "v2" })]
    public void A_question_keeps_the_words_that_carry_its_meaning(string question, string[] keywords) =>
        Assert.Equal(keywords, QueryPlan.Parse(question).Keywords);

    [Fact]
    public void A_query_of_only_stop_words_falls_back_to_its_words()
    {
        var plan = QueryPlan.Parse("Who is who?");

        Assert.Equal(["who", "is"], plan.Keywords);
        Assert.Equal(["who", "is"], plan.Required);
        Assert.False(plan.IsEmpty);
    }

    [Theory]
    [InlineData("what happened in the security incident in November 2025", "2025-11")]
    [InlineData("board minutes from 2026 January", "2026-01")]
    [InlineData("expenses sept 2025", "2025-09")]
    public void A_month_with_a_year_is_also_written_as_documents_write_it(string question, string date)
    {
        var plan = QueryPlan.Parse(question);

        Assert.Equal([date], plan.DateTerms);
        Assert.Contains(date, plan.Terms);
        // A date is a match term, never required word by word: a document may write "2025-11" or "November 2025".
        Assert.DoesNotContain(date[..4], plan.Required);
    }

    [Fact]
    public void A_quarter_keeps_its_words_and_only_the_quarter_is_required()
    {
        var plan = QueryPlan.Parse("what are the company OKRs for Q1 2026");

        Assert.Equal(["company", "okrs", "q1", "2026"], plan.Keywords);
        Assert.Equal(["company", "okrs", "q1"], plan.Required);
        Assert.Empty(plan.DateTerms);
    }

    [Fact]
    public void A_month_without_a_year_is_a_plain_keyword()
    {
        var plan = QueryPlan.Parse("where is the offsite in April");

        Assert.Equal(["offsite", "april"], plan.Keywords);
        Assert.Empty(plan.DateTerms);
    }

    [Fact]
    public void Quoted_phrases_are_asked_for_whole()
    {
        var plan = QueryPlan.Parse("pilot \"Demo  Script\" Reno \"unclosed phrase");

        Assert.Equal(["demo script", "unclosed phrase"], plan.Phrases);
        Assert.Equal(["pilot", "reno"], plan.Required);
        Assert.Equal(["pilot", "demo", "script", "reno", "unclosed", "phrase"], plan.Keywords);
    }

    [Theory]
    [InlineData("a robot shows fault code K-305, what now", "k 305")]
    [InlineData("what changed in Kestrel firmware 3.7.2?", "3 7 2")]
    [InlineData("is RFC-017 accepted", "rfc 017")]
    [InlineData("release notes v4.2.", "v4 2")]
    public void An_id_or_version_is_asked_for_as_a_phrase(string question, string phrase)
    {
        var plan = QueryPlan.Parse(question);

        Assert.Equal([phrase], plan.Phrases);
        Assert.DoesNotContain(plan.Required, phrase.Split(' ').Contains);
        Assert.All(phrase.Split(' '), word => Assert.Contains(word, plan.Keywords));
    }

    [Theory]
    [InlineData("incidents 2025-11")]
    [InlineData("401(k) match")]
    [InlineData("engineering/specs/rfc-017-fleet-api-v2.md")]
    [InlineData("Q1-2026 okrs")]
    public void Dates_and_longer_names_are_not_ids(string question) => Assert.Empty(QueryPlan.Parse(question).Phrases);

    [Theory]
    [InlineData("') or fullText contains 'x' or name contains '")]
    [InlineData("author:renata OR title:\"secret\" NOT x* -y NEAR(z)")]
    [InlineData("\" AND \"x\" OR rowid MATCH '*' ; DROP TABLE docs; --")]
    [InlineData("a\\\"b\u0000c\u202Ed\r\ne")]
    public void Hostile_text_becomes_words_only(string text)
    {
        var plan = QueryPlan.Parse(text);

        Assert.All(plan.Keywords.Concat(plan.DateTerms), term => Assert.Matches(Term(), term));
        Assert.All(plan.Phrases, phrase => Assert.Matches(Phrase(), phrase));
    }

    [Theory]
    [InlineData("* ( ) : -")]
    [InlineData("\"\"")]
    [InlineData(" \t ")]
    public void Text_without_a_letter_or_digit_is_empty(string text) => Assert.True(QueryPlan.Parse(text).IsEmpty);

    [Theory]
    [InlineData("the fleet console is down, what do I do", true)]
    [InlineData("How do I roll back the Kestrel gripper firmware?", true)]
    [InlineData("a robot shows fault code K-305 on a customer site, what now", true)]
    [InlineData("what's the process for expenses", true)]
    [InlineData("steps to ship a console release", true)]
    [InlineData("how should a manager run a 1:1", true)]
    [InlineData("how does the Wren robot dock to charge", false)]
    [InlineData("how much parental leave do new parents get", false)]
    [InlineData("what does AMR stand for", false)]
    [InlineData("showhow to", false)]
    [InlineData("fleet console runbook", false)]
    public void A_question_asking_how_to_do_something_is_told_from_one_asking_what_is(string question, bool asksHowTo) =>
        Assert.Equal(asksHowTo, QueryPlan.Parse(question).AsksHowTo);

    [Fact]
    public void A_long_question_is_cut_to_its_first_keywords()
    {
        var plan = QueryPlan.Parse(string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}")));

        Assert.Equal(12, plan.Keywords.Count);
        Assert.Equal("w0", plan.Keywords[0]);
    }

    [Theory]
    [InlineData("reviews", "review")]
    [InlineData("reviewing", "review")]
    [InlineData("reviewed", "review")]
    [InlineData("policies", "policy")]
    [InlineData("processes", "process")]
    [InlineData("process", "process")]
    [InlineData("status", "status")]
    [InlineData("notes", "note")]
    [InlineData("2025s", "2025s")]
    [InlineData("bus", "bus")]
    public void The_stemmer_meets_plurals_and_verb_forms(string word, string stem) => Assert.Equal(stem, QueryPlan.Stem(word));

    [Fact]
    public void The_most_specific_keywords_come_first()
    {
        var plan = QueryPlan.Parse("console rollback kestrel 3.8");

        Assert.Equal(["rollback", "console", "kestrel"], plan.MostSpecific.Take(3));
    }

    [GeneratedRegex(@"^[\p{L}\p{N}]+(-[\p{L}\p{N}]+)?$")]
    private static partial Regex Term();

    [GeneratedRegex(@"^[\p{L}\p{N}]+( [\p{L}\p{N}]+)+$")]
    private static partial Regex Phrase();
}
