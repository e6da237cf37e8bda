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
    }

    [Fact]
    public async Task Suite_0_2_0_alpha_12_for_2026_07_28_passes_every_required_scenario()
    {
        var run = await ConformanceSuite.RunAsync("0.2.0-alpha.12", host.McpUrl,
            ["--requirements", "2026-07-28", "--expected-failures", ExpectedFailures("conformance-0.2.0-alpha.12-expected-failures.yml")], s_suiteTimeout);

        AssertPassed(run);
        // Not-scored scenarios never fail the run, so check them here: only the Tasks extension, which this server
        // deliberately lacks, may fail.
        var failing = run.Output.Split('\n').Where(l => l.StartsWith("✗ ", StringComparison.Ordinal)).Select(l => l[2..l.IndexOf(':', StringComparison.Ordinal)]).ToList();
        Assert.True(failing.All(name => name.StartsWith("tasks-", StringComparison.Ordinal)),
            $"Scenarios other than the Tasks extension failed: {string.Join(", ", failing.Where(n => !n.StartsWith("tasks-", StringComparison.Ordinal)))}.\n{run.Report}");
    }

    private static string ExpectedFailures(string file) => Path.Combine(RepositoryRoot.Path, "Workplace.Tests", "Conformance", file);

    private static void AssertPassed(SuiteRun run)
    {
        Assert.False(run.TimedOut, $"The suite ran longer than {s_suiteTimeout}.\n{run.Report}");
        Assert.True(run.Passed > 0, $"No 'Total: N passed, M failed' line in the suite's output.\n{run.Report}");
        Assert.True(run.ExitCode == 0, $"The suite exited with {run.ExitCode} ({run.Passed} passed, {run.Failed} failed): a failure not in the expected-failures file, or an expected failure that now passes.\n{run.Report}");
    }
}
