using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Workplace.Bench;
using Workplace.Connectors.Sources.Files;
using Workplace.ServiceDefaults.Search;

// Search latency of the files source over a generated 10 000-document folder (see README.md).
// Usage: dotnet run -c Release --project bench/Workplace.Bench [-- documents [rounds]]
var documents = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var root = Directory.CreateTempSubdirectory("workplace-bench-").FullName;
try
{
    var corpus = new Corpus();
    var written = Stopwatch.StartNew();
    var bytes = corpus.Write(root, documents);
    Console.WriteLine($"Generated {documents:N0} documents, {bytes / 1024.0 / 1024.0:N1} MB, in {written.Elapsed.TotalSeconds:N1} s ({root})");

    var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
    var processBefore = Process.GetCurrentProcess().WorkingSet64;
    using var index = new FilesIndex();
    var indexer = new FolderIndexer(index, root, 20 * 1024 * 1024, NullLogger.Instance);
    var build = Stopwatch.StartNew();
    indexer.Reconcile(CancellationToken.None);
    build.Stop();
    var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
    var afterBuild = Process.GetCurrentProcess();
    Console.WriteLine($"Index build: {build.Elapsed.TotalSeconds:N2} s for {index.Count:N0} documents; " +
        $"working set +{(afterBuild.WorkingSet64 - processBefore) / 1024.0 / 1024.0:N0} MB (now {afterBuild.WorkingSet64 / 1024.0 / 1024.0:N0} MB), managed heap +{(managedAfter - managedBefore) / 1024.0 / 1024.0:N1} MB");

    var rescan = Stopwatch.StartNew();
    indexer.Reconcile(CancellationToken.None);
    Console.WriteLine($"Rescan with nothing changed: {rescan.Elapsed.TotalMilliseconds:N0} ms");

    // Query mix: frequent, mid-frequency and rare single words, two- and three-word queries, phrases copied
    // from documents (quoted and bare), and words that match nothing (the AND → OR fallback path).
    var random = new Random(7);
    var vocabulary = corpus.Vocabulary;
    string Ranked(int from, int to) => vocabulary[random.Next(from, to)];
    var sample = File.ReadAllText(Directory.EnumerateFiles(root, "*.md", SearchOption.AllDirectories).First());
    var sentences = Corpus.SentencesOf(sample).ToList();
    string Phrase() => string.Join(' ', sentences[random.Next(sentences.Count)].Split(' ').Take(3));
    var queries = new List<(string Kind, string Query)>();
    for (var i = 0; i < 40; i++)
    {
        queries.Add(("frequent word", Ranked(0, 20)));
        queries.Add(("mid word", Ranked(200, 2_000)));
        queries.Add(("rare word", Ranked(10_000, vocabulary.Count)));
        queries.Add(("two words", $"{Ranked(0, 500)} {Ranked(0, 500)}"));
        queries.Add(("three words", $"{Ranked(0, 2_000)} {Ranked(0, 2_000)} {Ranked(0, 2_000)}"));
        queries.Add(("quoted phrase", $"\"{Phrase()}\""));
        queries.Add(("bare phrase", Phrase()));
        queries.Add(("no match + word", $"zzzqx{i} {Ranked(0, 100)}"));
    }

    foreach (var (_, query) in queries.Take(100))
    {
        index.Search(FtsQuery.Of(QueryPlan.Parse(query)), 10, null, includeContent: false);
    }

    // Wall time per query is what a caller sees, but on a shared machine it includes waiting for a core;
    // process CPU time per batch of one kind (coarse clock, so only the mean per query) shows the work itself.
    var timings = new List<(string Kind, double Ms)>();
    var cpu = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
    var process = Process.GetCurrentProcess();
    for (var round = 0; round < rounds; round++)
    {
        foreach (var batch in queries.GroupBy(q => q.Kind))
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            foreach (var (kind, query) in batch)
            {
                var started = Stopwatch.GetTimestamp();
                index.Search(FtsQuery.Of(QueryPlan.Parse(query)), 10, null, includeContent: false);
                timings.Add((kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
            }
            process.Refresh();
            cpu[batch.Key] = cpu.GetValueOrDefault(batch.Key) + (process.TotalProcessorTime - cpuBefore);
        }
    }
    cpu["all"] = cpu.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);

    static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    Console.WriteLine();
    Console.WriteLine($"Load average during the run: {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine("| queries | n | p50 ms | p95 ms | max ms | mean CPU ms |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    foreach (var group in timings.GroupBy(t => t.Kind).Append(timings.GroupBy(_ => "all").Single()))
    {
        var sorted = group.Select(t => t.Ms).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {group.Key} | {sorted.Count} | {Percentile(sorted, 0.5):F2} | {Percentile(sorted, 0.95):F2} | {sorted[^1]:F2} | {cpu[group.Key].TotalMilliseconds / sorted.Count:F2} |"));
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}
