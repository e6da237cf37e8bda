using System.Net.Http.Headers;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using Workplace.AppHost.Auth;
using Workplace.AppHost.Providers;

namespace Workplace.Tests.Graph;

[CollectionDefinition(Name)]
public sealed class GraphCollection : ICollectionFixture<GraphFixture>
{
    public const string Name = "graph";
}

/// <summary>
/// Workplace.AppHost's own graph (real redis-server, Workplace.Emulators for every provider, connectors, mcpapi), started once per test run by
/// Aspire.Hosting.Testing exactly as <c>dotnet run --project Workplace.AppHost</c> starts it, less the dashboard.
/// </summary>
public sealed class GraphFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_setupTimeout = TimeSpan.FromMinutes(1);
    private readonly DirectoryInfo _cacheData = Directory.CreateTempSubdirectory("workplace-graph-");

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The development token, as the dashboard's "Show development token" command mints it.</summary>
    public string DevToken { get; private set; } = "";

    /// <summary>How the AppHost's connecting of the development user to each emulated source went.</summary>
    public IReadOnlyList<SourceConnection> Connections { get; private set; } = [];

    public Uri McpApiUrl => App.GetEndpoint("mcpapi", "http");

    public Uri McpEndpoint => new(McpApiUrl, "/mcp");

    public async Task InitializeAsync()
    {
        // Long enough that a search made right after a crash sees the source down, short enough to wait for.
        App = await AppHostGraph.StartAsync(_cacheData, "Workplace:Restarts:BaseDelay=00:00:10");
        using var timeout = new CancellationTokenSource(s_setupTimeout);
        var command = await App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync("mcpapi", TokenIssuerExtensions.DevTokenCommand, timeout.Token);
        DevToken = command.Data?.Value ?? throw new InvalidOperationException($"The dev-token command returned no token: {command.Message}");
        // Tests start from the state a developer gets: the development user connected to every emulated source.
        Connections = await App.Services.GetRequiredService<DevUserConnections>().Completion.WaitAsync(timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
        _cacheData.Delete(recursive: true);
    }

    public HttpClient CreateHttpClient(bool authenticated = true)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (authenticated)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevToken);
        }
        return http;
    }

    public async Task<McpClient> ConnectMcpAsync(HttpClient http)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp, Name = "workplace-tests" },
            http,
            loggerFactory: null,
            ownsHttpClient: false);
        return await McpClient.CreateAsync(transport);
    }

    /// <summary>Runs a resource command (stop, start, …) as the dashboard would.</summary>
    public async Task ExecuteAsync(string resource, string command)
    {
        var result = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command);
        Assert.True(result.Success, $"{command} on {resource} failed: {result.Message}");
    }
}
