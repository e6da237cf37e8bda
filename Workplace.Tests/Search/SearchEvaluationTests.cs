using System.Globalization;
using System.Text;
using System.Text.Json;
using Workplace.Connectors.Sources;
using Workplace.Connectors.Sources.Files;
using Workplace.Emulators.Workspace;
using Workplace.Tests.Graph;
using Workplace.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Workplace.Tests.Search;

/// <summary>
/// The evaluation set (search-eval.json next to this file): questions an agent asks, over the sample workspaces of every
/// source, each with the documents that answer it. Run through the whole graph with the real MCP client, as Aditi (who
/// sees the most), one uncached search per query. Prints recall@3 and MRR@10 and fails when recall@3 drops below the
/// level measured when the ranker was built. Writes what every query got (search-eval-results.json beside the test
/// assembly), deeper than the metrics look, so a re-ranker can be measured offline on the same candidates
/// (bench/Embeddings).
/// </summary>
[Collection(ProviderGraphCollection.Name)]
public sealed class SearchEvaluationTests(ProviderGraphFixture graph, ITestOutputHelper output)
{
    // Measured on this set with the ranker as it is (bench/README.md, "Search quality": 58 of 62); a change that lowers it
    // fails. The ranking is deterministic and a source that timed out is asked again, so no margin is kept for noise.
    private const double MinimumRecallAt3 = 0.93;

    private static readonly string[] s_sources = ["files", "google_drive", "notion", "sharepoint"];

    // Deeper than the top 10 the metrics read, so a re-ranker has candidates below the fold to lift.
    private const int CandidateDepth = 30;

    private static readonly JsonSerializerOptions s_artifactJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [Fact]
    public async Task The_evaluation_set_finds_an_answer_in_the_top_three()
    {
        var set = EvaluationSet.Load();
        await using var client = await graph.ClientAsync(EmulatedUsers.Aditi);
        // The first search of a fresh graph pays for every provider's cold start (the emulators render their documents
        // on first read), which is no part of ranking quality: searches are repeated until every source has answered once.
        await Poll.UntilAsync(async () =>
        {
            var warm = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "warm up every source" });
            return AllAnswered(warm.StructuredContent!.Value);
        }, TimeSpan.FromMinutes(2), "every source to answer a search");
        var report = new StringBuilder();
        var latencies = new List<(string Source, long Ms)>();
        var seen = new List<EvaluatedQuery>();
        double hits = 0, reciprocalRanks = 0, heldOutHits = 0;
        foreach (var item in set)
        {
            // A source that timed out on this shared machine is not a ranking result: such answers are not cached, so the
            // query is asked again, a few times at most.
            JsonElement structured = default;
            for (var attempt = 0; attempt < 3 && (attempt == 0 || !AllAnswered(structured)); attempt++)
            {
                var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = item.Query, ["max_results"] = CandidateDepth });
                Assert.NotEqual(true, result.IsError);
                structured = result.StructuredContent!.Value;
            }
            Assert.True(AllAnswered(structured), $"\"{item.Query}\": {structured.GetProperty("sources")}");
            foreach (var source in structured.GetProperty("sources").EnumerateArray())
            {
                latencies.Add((source.GetProperty("source").GetString()!, source.GetProperty("latency_ms").GetInt64()));
            }
            var results = structured.GetProperty("results").EnumerateArray().ToList();
            seen.Add(new EvaluatedQuery(item.Query, item.Question, item.Expect, [.. results.Select((r, i) => new RankedResult(i + 1,
                r.GetProperty("source").GetString()!, r.GetProperty("id").GetString()!, r.GetProperty("title").GetString()!,
                r.GetProperty("snippet").GetString()!))]));
            // MRR@10: a first answer below the tenth result counts as none, as it did when only ten were asked for.
            var rank = results.Take(10).ToList().FindIndex(r => item.Expect.Any(e => e.Matches(r))) + 1;
            hits += rank is >= 1 and <= 3 ? 1 : 0;
            heldOutHits += item.HeldOut && rank is >= 1 and <= 3 ? 1 : 0;
            reciprocalRanks += rank >= 1 ? 1.0 / rank : 0;
            report.Append(CultureInfo.InvariantCulture, $"{(rank is >= 1 and <= 3 ? "hit " : "MISS")} {(rank == 0 ? "-" : rank.ToString(CultureInfo.InvariantCulture)),2}  {item.Query}");
            if (rank is 0 or > 3)
            {
                report.Append(CultureInfo.InvariantCulture, $"\n      top 3: {string.Join(" | ", results.Take(3).Select(r => $"{r.GetProperty("source").GetString()}:{r.GetProperty("title").GetString()}"))}");
            }
            report.Append('\n');
        }
        var recall = hits / set.Count;
        var mrr = reciprocalRanks / set.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recall@3 {recall:0.000} ({hits}/{set.Count}), MRR@10 {mrr:0.000}; held out: {heldOutHits}/{set.Count(q => q.HeldOut)} in the top 3"));
        // Uncached fan-out, each source's own latency as the answer reports it (a retried query counts each attempt).
        output.WriteLine(string.Join(", ", latencies.GroupBy(l => l.Source).Select(g =>
            string.Create(CultureInfo.InvariantCulture, $"{g.Key} p50 {g.Select(l => l.Ms).Order().ElementAt(g.Count() / 2)} ms"))));
        output.WriteLine(report.ToString());
        var artifact = Path.Combine(AppContext.BaseDirectory, "search-eval-results.json");
        await File.WriteAllTextAsync(artifact, JsonSerializer.Serialize(new EvaluationRun(CandidateDepth, recall, mrr, seen), s_artifactJson));
        output.WriteLine($"results of every query: {artifact}");

        Assert.True(recall >= MinimumRecallAt3, string.Create(CultureInfo.InvariantCulture, $"recall@3 {recall:0.000} < {MinimumRecallAt3:0.00}, MRR@10 {mrr:0.000}:\n{report}"));
    }

    private static bool AllAnswered(JsonElement structured) =>
        structured.GetProperty("sources").EnumerateArray().All(s => s.GetProperty("status").GetString() == "ok");

    [Fact]
    public void The_evaluation_set_is_what_the_issue_asks_for()
    {
        var set = EvaluationSet.Load();

        Assert.True(set.Count >= 40, $"{set.Count} queries");
        Assert.True(set.Count(q => q.Question) * 2 >= set.Count, "at least half are whole questions");
        Assert.All(s_sources, source => Assert.Contains(set, q => q.Expect.Any(e => e.Source == source)));
        // Every expected files document exists: a renamed sample must not silently turn a query into a miss.
        Assert.All(set.SelectMany(q => q.Expect).Where(e => e.Source == "files"),
            e => Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "samples", "workspace", e.Name)), e.Name));
    }

    private sealed record Expected(string Source, string Name)
    {
        // Files are named by path (their title is the document's heading), the providers' documents by title. The
        // artifact carries the id a files document must have, so a reader outside the tests matches the same way.
        public string? Id { get; } = Source == "files" ? DocumentId.Create("files", FileNativeId.Encode(Name)) : null;

        public bool Matches(JsonElement result) =>
            result.GetProperty("source").GetString() == Source
            && (Id is not null
                ? result.GetProperty("id").GetString() == Id
                : result.GetProperty("title").GetString() == Name);
    }

    private sealed record RankedResult(int Rank, string Source, string Id, string Title, string Snippet);

    private sealed record EvaluatedQuery(string Query, bool Question, IReadOnlyList<Expected> Expect, IReadOnlyList<RankedResult> Results);

    private sealed record EvaluationRun(int MaxResults, double RecallAt3, double MrrAt10, IReadOnlyList<EvaluatedQuery> Queries);

    // HeldOut: written after the ranker was tuned and before a change to it, to see whether the change generalises.
    private sealed record EvaluationQuery(string Query, bool Question, bool HeldOut, IReadOnlyList<Expected> Expect);

    private static class EvaluationSet
    {
        public static List<EvaluationQuery> Load()
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Workplace.Tests", "Search", "search-eval.json")));
            return [.. document.RootElement.GetProperty("queries").EnumerateArray().Select(q => new EvaluationQuery(
                q.GetProperty("query").GetString()!,
                q.GetProperty("question").GetBoolean(),
                q.TryGetProperty("held_out", out var heldOut) && heldOut.GetBoolean(),
                [.. q.GetProperty("expect").EnumerateArray().Select(e => e.GetString()!.Split(':', 2)).Select(p => new Expected(p[0], p[1]))]))];
        }
    }
}
