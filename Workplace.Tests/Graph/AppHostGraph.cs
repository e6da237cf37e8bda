using Aspire.Hosting.Testing;

namespace Workplace.Tests.Graph;

/// <summary>Workplace.AppHost's graph in Development without the dashboard, started by Aspire.Hosting.Testing and healthy.</summary>
public static class AppHostGraph
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(3);

    /// <param name="cacheData">Where redis-server keeps its data: a folder of the test's own.</param>
    /// <param name="settings">More AppHost settings, `key=value`.</param>
    public static async Task<DistributedApplication> StartAsync(DirectoryInfo cacheData, params string[] settings)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Workplace_AppHost>(
            [
                // Any free port: the developer's default (5180) may be taken by their own graph.
                "WORKPLACE_MCPAPI_PORT=0",
                $"WORKPLACE_CACHE_DATA={cacheData.FullName}",
                .. settings,
            ],
            (options, host) =>
            {
                options.DisableDashboard = true;
                host.EnvironmentName = "Development";
            });
        var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(s_startTimeout);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("mcpapi", timeout.Token);
        return app;
    }
}
