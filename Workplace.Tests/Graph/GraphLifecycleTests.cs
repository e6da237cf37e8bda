using System.Diagnostics;
using Workplace.AppHost;
using Workplace.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Workplace.Tests.Graph;

// Its own graph: this test kills a service and disposes the graph, which the shared fixture must not see.
public sealed class GraphLifecycleTests(ITestOutputHelper log)
{
    [Fact]
    public async Task CrashedConnectors_IsRestartedHealthy_AndDisposingLeavesNoProcess()
    {
        var output = new CollectingGraphOutput();
        var redisData = Path.Combine(Path.GetTempPath(), "workplace-tests", Guid.NewGuid().ToString("N"));
        var graph = await WorkplaceGraph.StartAsync(GraphFixture.Options(output, redisData));
        var pids = new List<int>();
        try
        {
            Assert.NotNull(graph.Redis);
            pids.Add(graph.Redis.ProcessId);
            pids.AddRange(graph.Services.Select(s => s.ProcessId!.Value));
            var connectors = graph[WorkplaceGraph.Connectors];
            var crashed = connectors.ProcessId!.Value;

            // Act: crash it.
            var killedAt = Stopwatch.StartNew();
            using (var process = Process.GetProcessById(crashed))
            {
                process.Kill();
            }

            // Assert: a new process, healthy again, and the edge still ready.
            var restarted = await Poll.UntilAsync(
                async () => connectors.ProcessId is { } pid && pid != crashed && await connectors.IsHealthyAsync() ? pid : (int?)null,
                TimeSpan.FromSeconds(60),
                "connectors to be restarted and healthy" + Environment.NewLine + output.Tail());
            pids.Add(restarted!.Value);
            Assert.Equal(1, connectors.Restarts);
            Assert.True(await graph[WorkplaceGraph.McpApi].IsHealthyAsync(), output.Tail());
            Assert.Contains(output.Lines, l => l.Contains("exited unexpectedly", StringComparison.Ordinal));
            log.WriteLine($"connectors restarted and healthy {killedAt.ElapsedMilliseconds} ms after the kill; graph start took {graph.StartDuration.TotalMilliseconds:0} ms");
        }
        finally
        {
            await graph.DisposeAsync();
            if (Directory.Exists(redisData))
            {
                Directory.Delete(redisData, recursive: true);
            }
        }

        // Every process the graph started, including the crashed one's successor, is gone (not even a zombie).
        Assert.Equal(4, pids.Distinct().Count());
        await Poll.UntilAsync(() => Task.FromResult(pids.All(pid => !IsAlive(pid))), TimeSpan.FromSeconds(5),
            "every graph process to be gone: " + string.Join(", ", pids.Where(IsAlive)));
    }

    [Fact]
    public async Task ServiceCrashingTooOften_IsLeftDown_AndTheGraphSaysSo()
    {
        var output = new CollectingGraphOutput();
        var redisData = Path.Combine(Path.GetTempPath(), "workplace-tests", Guid.NewGuid().ToString("N"));
        var options = GraphFixture.Options(output, redisData) with
        {
            UseRedis = false,
            Restart = new RestartPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxCrashes = 2, Window = TimeSpan.FromMinutes(5) },
        };
        await using var graph = await WorkplaceGraph.StartAsync(options);
        var connectors = graph[WorkplaceGraph.Connectors];

        // Act: crash it, wait for the restart, crash it again.
        var first = connectors.ProcessId!.Value;
        Process.GetProcessById(first).Kill();
        var second = await Poll.UntilAsync(() => Task.FromResult(connectors.ProcessId is { } pid && pid != first ? pid : (int?)null),
            TimeSpan.FromSeconds(30), "the first restart" + Environment.NewLine + output.Tail());
        Process.GetProcessById(second!.Value).Kill();

        // Assert
        var gaveUp = await graph.ServiceGaveUp.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(WorkplaceGraph.Connectors, gaveUp);
        Assert.Null(connectors.ProcessId);
        Assert.Equal(1, connectors.Restarts);
        Assert.Contains(output.Lines, l => l.Contains("not restarting it", StringComparison.Ordinal));
        Assert.Null(graph.Redis);
    }

    // A zombie still has /proc/<pid>: an exited child nobody reaped counts as a leak too.
    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");
}
