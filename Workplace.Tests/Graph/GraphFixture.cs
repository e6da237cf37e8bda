using System.Net.Http.Headers;
using ModelContextProtocol.Client;
using Workplace.AppHost;

namespace Workplace.Tests.Graph;

/// <summary>
/// The whole graph, started exactly as <c>dotnet run --project Workplace.AppHost</c> starts it (WorkplaceGraph:
/// real redis-server, both services as processes), once per test class.
/// </summary>
public sealed class GraphFixture : IAsyncLifetime
{
    private readonly string _redisData = Path.Combine(Path.GetTempPath(), "workplace-tests", Guid.NewGuid().ToString("N"));

    public CollectingGraphOutput Output { get; } = new();

    public RunningGraph Graph { get; private set; } = null!;

    /// <summary>
    /// The seam for authentication: when mcpapi requires tokens, return the DevAuth issuer
    /// (Workplace.AppHost/DevAuth) here and every client of this fixture sends its token.
    /// </summary>
    public static IDevTokenIssuer? DevTokens => new Workplace.AppHost.DevAuth.DevAuthority();

    public static GraphOptions Options(CollectingGraphOutput output, string redisData) => new()
    {
        Output = output,
        PersistRedis = false,
        RedisDataDirectory = redisData,
        HealthTimeout = TimeSpan.FromSeconds(90),
        Restart = new RestartPolicy { BaseDelay = TimeSpan.FromMilliseconds(200) },
        DevTokens = DevTokens,
    };

    public async Task InitializeAsync() =>
        Graph = await WorkplaceGraph.StartAsync(Options(Output, _redisData));

    public async Task DisposeAsync()
    {
        if (Graph is not null)
        {
            await Graph.DisposeAsync();
        }
        if (Directory.Exists(_redisData))
        {
            Directory.Delete(_redisData, recursive: true);
        }
    }

    public HttpClient CreateHttpClient()
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (Graph.DevToken is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return http;
    }

    public async Task<McpClient> ConnectMcpAsync(HttpClient http)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = Graph.McpEndpoint, TransportMode = HttpTransportMode.StreamableHttp, Name = "workplace-tests" },
            http,
            loggerFactory: null,
            ownsHttpClient: false);
        return await McpClient.CreateAsync(transport);
    }
}
