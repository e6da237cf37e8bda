using Workplace.McpApi.Search;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.ServiceDefaults.Search;

namespace Workplace.Tests.Search;

public sealed class SearchRankingTests
{
    private static readonly DateTimeOffset s_march = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static SearchHit Hit(string id, string title, string snippet, DateTimeOffset? modified = null) =>
        new(id, id.Split(':')[0], title, $"https://example.test/{id}", snippet, modified ?? s_march, null, null, 0, null);

    private static List<string> Ids(string query, params IReadOnlyList<SearchHit>[] lists) =>
        [.. SearchRanking.Rank(QueryPlan.Parse(query), lists).Select(r => r.Hit.Id)];

    [Fact]
    public void A_match_in_the_title_beats_the_same_match_in_the_snippet()
    {
        var ids = Ids("how do I roll back the gripper firmware",
            [Hit("files:a", "Team lunch menu", "the gripper firmware rollback runbook is linked here")],
            [Hit("notion:b", "Gripper firmware roll back", "Owner: firmware team")]);

        Assert.Equal(["notion:b", "files:a"], ids);
    }

    [Fact]
    public void More_of_the_question_matched_ranks_higher_than_a_source_s_first_place()
    {
        var ids = Ids("who reports to whom in the org chart",
            [Hit("files:handbook", "Employee handbook", "reports are due monthly"), Hit("files:org", "Organisation chart", "Tobias reports to Marguerite; the org chart lists every team")]);

        Assert.Equal("files:org", ids[0]);
    }

    [Theory]
    [InlineData("the fleet console is down, what do I do", "notion:runbook")]
    [InlineData("fleet console down", "files:architecture")]
    public void A_question_asking_what_to_do_prefers_a_procedure_among_near_equal_matches(string query, string first)
    {
        // "down" is common in the union, so both titles' "fleet console" carry most of the match; the architecture
        // note's snippet also says "down". Only asking how to do something makes the runbook the better answer.
        var ids = Ids(query,
            [Hit("files:architecture", "Fleet console architecture", "why the console went down")],
            [Hit("notion:runbook", "Fleet console outage runbook", "restart the console")],
            [Hit("sharepoint:a", "Lift", "the lift is down"), Hit("sharepoint:b", "Wi-Fi", "the wifi was down"), Hit("sharepoint:c", "Mail", "mail down")]);

        Assert.Equal(first, ids[0]);
    }

    [Fact]
    public void An_id_in_the_question_prefers_the_document_that_writes_it_whole()
    {
        // The benefits page is its source's first hit and holds both words, apart, in a shorter snippet.
        var ids = Ids("K-305",
            [Hit("files:benefits", "Benefits", "401(k), room 305")],
            [Hit("notion:other", "Other", "nothing"), Hit("notion:faults", "Faults", "K-305: lidar occluded, clean the window")]);

        Assert.Equal("notion:faults", ids[0]);
    }

    [Fact]
    public void Recency_breaks_a_tie_of_equal_text_and_rank()
    {
        var ids = Ids("travel policy",
            [Hit("files:old", "Travel policy", "book economy", s_march.AddDays(-400))],
            [Hit("sharepoint:new", "Travel policy", "book economy flights", s_march)]);

        Assert.Equal(["sharepoint:new", "files:old"], ids);
    }

    [Fact]
    public void The_same_id_reached_twice_is_one_result_at_its_best_rank()
    {
        var ranked = SearchRanking.Rank(QueryPlan.Parse("budget"),
            [[Hit("files:x", "Other", "nothing"), Hit("files:budget", "Budget", "the budget")], [Hit("files:budget", "Budget", "the budget")]]);

        Assert.Equal(["files:budget", "files:x"], ranked.Select(r => r.Hit.Id));
    }

    [Fact]
    public void The_same_document_in_two_sources_is_one_result_when_title_and_snippet_agree()
    {
        var ids = Ids("kestrel rollback",
            [Hit("files:k", "Kestrel firmware rollback", "**Rollback** the **Kestrel** firmware in three steps")],
            [Hit("sharepoint:k", "Kestrel firmware rollback.md", "Rollback the Kestrel firmware in three steps")],
            [Hit("notion:k", "Kestrel firmware rollback", "Owner: firmware team")]);

        // The SharePoint copy says the same as the files one and goes; Notion's snippet differs, so it may be another document.
        Assert.Equal(2, ids.Count);
        Assert.Contains("notion:k", ids);
        Assert.Single(ids, id => id is "files:k" or "sharepoint:k");
    }

    [Fact]
    public void Two_hits_of_one_source_are_two_documents_however_alike()
    {
        var ids = Ids("minutes", [Hit("notion:a", "Minutes", "Minutes"), Hit("notion:b", "Minutes", "Minutes")]);

        Assert.Equal(["notion:a", "notion:b"], ids);
    }

    [Fact]
    public void Scores_fall_down_the_list_and_ties_go_to_the_id()
    {
        var ranked = SearchRanking.Rank(QueryPlan.Parse("zebra"),
            [[Hit("files:b", "Nothing", "nothing")], [Hit("notion:a", "Nothing", "nothing else")]]);

        Assert.True(ranked[0].Score >= ranked[1].Score);
        Assert.Equal(["files:b", "notion:a"], ranked.Select(r => r.Hit.Id));
    }

    [Fact]
    public void A_date_in_the_question_matches_the_way_documents_write_it()
    {
        var ids = Ids("incident in November 2025",
            [Hit("files:other", "Incident response policy", "every incident is reviewed")],
            [Hit("sharepoint:pm", "Incident postmortem 2025-11.docx", "what happened")]);

        Assert.Equal("sharepoint:pm", ids[0]);
    }

    [Theory]
    [InlineData("the **Travel** policy for travelling staff", "travel", "the **Travel** policy for travelling staff")]
    [InlineData("Reviews are run in January; a review has three parts", "reviews", "**Reviews** are run in January; a **review** has three parts")]
    [InlineData("**bold** words **are** not matches", "words", "bold **words** are not matches")]
    public void Snippets_mark_every_matched_word_and_nothing_else(string snippet, string query, string marked)
    {
        var stems = QueryPlan.Parse(query).Keywords.Select(QueryPlan.Stem).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(marked, SearchRanking.Mark(snippet, stems));
    }

    [Fact]
    public void Nothing_in_is_nothing_out() => Assert.Empty(SearchRanking.Rank(QueryPlan.Parse("anything"), [[], []]));
}
