using System.Text.Json;

namespace Workplace.Bench.Embeddings;

/// <summary>
/// What the evaluation test saw (Workplace.Tests/Search/SearchEvaluationTests.cs writes it as search-eval-results.json):
/// every query, the documents that answer it, and the ranked results the whole graph returned.
/// </summary>
public sealed record EvaluationRun(int MaxResults, double RecallAt3, double MrrAt10, IReadOnlyList<EvaluatedQuery> Queries)
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static EvaluationRun Load(string path) =>
        JsonSerializer.Deserialize<EvaluationRun>(File.ReadAllText(path), s_json)
        ?? throw new InvalidDataException($"{path} holds no evaluation run: run SearchEvaluationTests to write it.");
}

public sealed record EvaluatedQuery(string Query, bool Question, IReadOnlyList<ExpectedDocument> Expect, IReadOnlyList<RankedResult> Results)
{
    /// <summary>The 1-based position of the first answering document in <paramref name="order"/>, 0 when none is there.</summary>
    public int FirstAnswer(IReadOnlyList<RankedResult> order)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (Expect.Any(e => e.Matches(order[i])))
            {
                return i + 1;
            }
        }
        return 0;
    }
}

/// <summary>
/// The test's matcher: a files document by the id its path encodes to (the test writes it), a provider's document by its
/// title.
/// </summary>
public sealed record ExpectedDocument(string Source, string Name, string? Id)
{
    public bool Matches(RankedResult result) =>
        result.Source == Source && (Id is not null ? result.Id == Id : result.Title == Name);
}

public sealed record RankedResult(int Rank, string Source, string Id, string Title, string Snippet)
{
    /// <summary>What the model reads: the title and the snippet without the query-word marks the ranker put in.</summary>
    public string Text => $"{Title} {Snippet.Replace("**", "", StringComparison.Ordinal)}";
}
