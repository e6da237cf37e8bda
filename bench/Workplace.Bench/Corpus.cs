using System.Globalization;
using System.Text;

namespace Workplace.Bench;

/// <summary>
/// A deterministic synthetic workspace: words drawn from a Zipf distribution over a generated vocabulary
/// (plus common English office words), documents of 0.5–40 KB (log-normal, median about 4 KB) in 40
/// folders; 90 % Markdown, 7 % text, 3 % HTML.
/// </summary>
public sealed class Corpus
{
    private static readonly string[] s_office =
    [
        "budget", "review", "quarterly", "policy", "travel", "onboarding", "security", "incident", "roadmap", "customer",
        "contract", "invoice", "hiring", "benefits", "meeting", "launch", "migration", "database", "latency", "release",
        "compliance", "vendor", "forecast", "retention", "pipeline", "architecture", "training", "holiday", "expense", "audit",
    ];

    private readonly Random _random = new(42);
    private readonly string[] _vocabulary;
    private readonly double[] _cumulative;

    public Corpus(int vocabularySize = 20_000)
    {
        var syllables = new[] { "ka", "lo", "mi", "ren", "tus", "va", "qui", "dor", "el", "fa", "gri", "hon", "ix", "jo", "pla", "sen", "tri", "ul", "wex", "zo" };
        var words = new HashSet<string>(s_office, StringComparer.Ordinal);
        while (words.Count < vocabularySize)
        {
            var count = _random.Next(2, 5);
            var word = string.Concat(Enumerable.Range(0, count).Select(_ => syllables[_random.Next(syllables.Length)]));
            words.Add(word);
        }
        _vocabulary = [.. words];
        _random.Shuffle(_vocabulary);
        _cumulative = new double[_vocabulary.Length];
        var total = 0.0;
        for (var i = 0; i < _vocabulary.Length; i++)
        {
            total += 1.0 / Math.Pow(i + 1, 1.07);
            _cumulative[i] = total;
        }
        for (var i = 0; i < _cumulative.Length; i++)
        {
            _cumulative[i] /= total;
        }
    }

    /// <summary>Words by rank: 0 is the most frequent.</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    public string Word()
    {
        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return _vocabulary[index < 0 ? ~index : index];
    }

    public string Sentence()
    {
        var words = Enumerable.Range(0, _random.Next(6, 18)).Select(_ => Word()).ToArray();
        words[0] = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(words[0]);
        return string.Join(' ', words) + ".";
    }

    /// <returns>Total bytes written.</returns>
    public long Write(string root, int documents)
    {
        long bytes = 0;
        for (var i = 0; i < documents; i++)
        {
            var folder = Path.Combine(root, $"team-{i % 40:00}");
            Directory.CreateDirectory(folder);
            var size = (int)Math.Clamp(Math.Exp(8.3 + (_random.NextGaussian() * 0.9)), 500, 40_000);
            var title = $"{Sentence().TrimEnd('.')} {i}";
            var kind = _random.Next(100);
            var text = new StringBuilder();
            string path;
            if (kind < 90)
            {
                path = Path.Combine(folder, $"doc-{i:00000}.md");
                text.Append("# ").Append(title).Append("\n\n");
                while (text.Length < size)
                {
                    if (_random.Next(6) == 0)
                    {
                        text.Append("## ").Append(Sentence().TrimEnd('.')).Append("\n\n");
                    }
                    else if (_random.Next(8) == 0)
                    {
                        text.Append("- ").Append(Sentence()).Append("\n- ").Append(Sentence()).Append("\n\n");
                    }
                    else
                    {
                        text.Append(Sentence()).Append(' ').Append(Sentence()).Append(' ').Append(Sentence()).Append("\n\n");
                    }
                }
            }
            else if (kind < 97)
            {
                path = Path.Combine(folder, $"notes-{i:00000}.txt");
                while (text.Length < size)
                {
                    text.Append(Sentence()).Append(' ').Append(Sentence()).Append('\n');
                }
            }
            else
            {
                path = Path.Combine(folder, $"page-{i:00000}.html");
                text.Append("<html><head><title>").Append(title).Append("</title><script>track()</script></head><body><nav>Home</nav><h1>").Append(title).Append("</h1>");
                while (text.Length < size)
                {
                    text.Append("<p>").Append(Sentence()).Append(" <b>").Append(Word()).Append("</b> ").Append(Sentence()).Append("</p><ul><li>").Append(Sentence()).Append("</li></ul>");
                }
                text.Append("</body></html>");
            }
            File.WriteAllText(path, text.ToString());
            bytes += text.Length;
        }
        return bytes;
    }

    public static IEnumerable<string> SentencesOf(string markdown) =>
        markdown.Split(['.', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(s => s.Split(' ').Length >= 4);
}

internal static class RandomExtensions
{
    public static double NextGaussian(this Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Sin(2.0 * Math.PI * random.NextDouble());
}
