using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Conformance;

/// <summary>
/// The official MCP conformance suite against our Streamable HTTP endpoint. Each expected-failures file lists only
/// scenarios for features this stateless server deliberately lacks, each with its reason.
/// </summary>
[Collection(nameof(ConformanceTests))]
public sealed class ConformanceTests(ConformanceServerHost host) : IClassFixture<ConformanceServerHost>
{
    private static readonly TimeSpan s_suiteTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Suite_0_1_16_for_2025_revisions_passes_every_scenario_except_the_stateful_ones()
    {
        var run = await ConformanceSuite.RunAsync("0.1.16", host.McpUrl,
            ["--expected-failures", ExpectedFailures("conformance-0.1.16-expected-failures.yml")], s_suiteTimeout);

        AssertPassed(run);
        // Exactly the four that need a session to carry the client's reply to a server-initiated request.
        AssertFailedScenarios(run, ["elicitation-sep1034-defaults", "elicitation-sep1330-enums", "tools-call-elicitation", "tools-call-sampling"]);
        AssertScenariosPassed(run, ["server-initialize", "tools-list", "tools-call-simple-text", "resources-read-text", "prompts-get-simple", "dns-rebinding-protection"]);
    }

    [Fact]
    public async Task Suite_0_2_0_alpha_12_for_2026_07_28_passes_every_required_scenario()
    {
        var run = await ConformanceSuite.RunAsync("0.2.0-alpha.12", host.McpUrl,
            ["--requirements", "2026-07-28", "--expected-failures", ExpectedFailures("conformance-0.2.0-alpha.12-expected-failures.yml")], s_suiteTimeout);

        AssertPassed(run);
        // Not-scored scenarios never fail the run, so check them here: only the Tasks extension, which this server
        // deliberately lacks, may fail.
        var failing = run.Scenarios.Where(s => s.Failed > 0).Select(s => s.Name).ToList();
        Assert.True(failing.All(name => name.StartsWith("tasks-", StringComparison.Ordinal)),
            $"Scenarios other than the Tasks extension failed: {string.Join(", ", failing.Where(n => !n.StartsWith("tasks-", StringComparison.Ordinal)))}.\n{run.Report}");
        AssertScenariosPassed(run, ["server-stateless", "caching", "dns-rebinding-protection", "http-header-validation",
            "http-custom-header-server-validation", "sep-2164-resource-not-found", "input-required-result-basic-elicitation", "tools-call-simple-text"]);
    }

    private static string ExpectedFailures(string file) => Path.Combine(RepositoryRoot.Path, "Workplace.Tests", "Conformance", file);

    private static void AssertPassed(SuiteRun run)
    {
        Assert.False(run.TimedOut, $"The suite ran longer than {s_suiteTimeout}.\n{run.Report}");
        Assert.True(run.Passed > 0, $"No 'Total: N passed, M failed' line in the suite's output.\n{run.Report}");
        Assert.True(run.ExitCode == 0, $"The suite exited with {run.ExitCode} ({run.Passed} passed, {run.Failed} failed): a failure not in the expected-failures file, or an expected failure that now passes.\n{run.Report}");
        // The scenario lines must add up to the total, or some were not read and a failure could hide among them.
        Assert.True(run.Scenarios.Count > 0 && run.Scenarios.Sum(s => s.Passed) == run.Passed && run.Scenarios.Sum(s => s.Failed) == run.Failed,
            $"The {run.Scenarios.Count} scenario lines add up to {run.Scenarios.Sum(s => s.Passed)} passed, {run.Scenarios.Sum(s => s.Failed)} failed; the total says {run.Passed} passed, {run.Failed} failed.\n{run.Report}");
    }

    private static void AssertFailedScenarios(SuiteRun run, string[] expected)
    {
        var failing = run.Scenarios.Where(s => s.Failed > 0).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        Assert.True(failing.SequenceEqual(expected.Order(StringComparer.Ordinal)),
            $"Expected exactly these scenarios to fail: {string.Join(", ", expected)}; failed: {string.Join(", ", failing)}.\n{run.Report}");
    }

    // Guards against a suite that runs but skips what matters: these must have run, with checks, and passed.
    private static void AssertScenariosPassed(SuiteRun run, string[] names)
    {
        foreach (var name in names)
        {
            var scenario = run.Scenarios.FirstOrDefault(s => s.Name == name);
            Assert.True(scenario is { Passed: > 0, Failed: 0 }, $"Scenario {name} did not run and pass: {scenario?.ToString() ?? "missing"}.\n{run.Report}");
        }
    }
}
