using System.Globalization;
using System.Runtime.InteropServices;
using Workplace.AppHost;

// dotnet run --project Workplace.AppHost: starts cache → connectors → mcpapi, prints how to connect, and stops
// everything on Ctrl+C or SIGTERM.
using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    // Handled here: the default would end the process before the services are stopped.
    context.Cancel = true;
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);

// No identity provider configured: a development key and token for this run (Workplace.AppHost/DevAuth).
using var devAuthority = Workplace.AppHost.DevAuth.DevAuthority.IsNeeded() ? new Workplace.AppHost.DevAuth.DevAuthority() : null;
var options = new GraphOptions { McpApiPort = McpApiPort(), DevTokens = devAuthority };
RunningGraph graph;
try
{
    graph = await WorkplaceGraph.StartAsync(options, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped before the graph was up.");
    return 130;
}
catch (Exception e) when (e is GraphStartException or InvalidOperationException or FileNotFoundException)
{
    Console.Error.WriteLine($"The graph did not start: {e.Message}");
    return 1;
}

await using (graph)
{
    Console.WriteLine(GraphSummary.Format(graph));
    var stopped = Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => "", TaskScheduler.Default);
    var first = await Task.WhenAny(stopped, graph.ServiceGaveUp);
    if (first == graph.ServiceGaveUp)
    {
        Console.Error.WriteLine($"{await graph.ServiceGaveUp} keeps crashing, so the graph is stopping. Its output above says why.");
        return 1;
    }
    Console.WriteLine("Stopping…");
}
Console.WriteLine("Stopped.");
return 0;

// A stable port keeps the URL given to `claude mcp add` valid across runs: WORKPLACE_MCPAPI_PORT, else 5180 when
// free, else any free port.
static int? McpApiPort()
{
    const int preferred = 5180;
    var configured = Environment.GetEnvironmentVariable("WORKPLACE_MCPAPI_PORT");
    if (!string.IsNullOrEmpty(configured))
    {
        return int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new ArgumentException($"WORKPLACE_MCPAPI_PORT must be a TCP port number (1-65535), not \"{configured}\".");
    }
    return Workplace.AppHost.Resources.RedisServer.IsPortFree(preferred) ? preferred : null;
}
