using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workplace.Connectors.Sources;
using Workplace.Tests.Auth;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Mcp;

/// <summary>
/// The real Connectors app (its files source on an empty folder, plus <see cref="ScriptedSource"/>s registered through its
/// DI) and the real mcpapi wired to it with the same signing key: faults happen inside a real source, not in a stand-in peer.
/// </summary>
public class ScriptedConnectorsGraph(IReadOnlyList<ScriptedSource> sources, params (string Key, string? Value)[] mcpApiSettings) : IAsyncLifetime, IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mcpapi-scripted-").FullName;
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly List<Wired> _replicas = [];
    private ConnectorsApp? _connectors;
    private Wired? _mcpApi;

    private IReadOnlyList<(string Key, string? Value)> McpApiSettings { get; } = mcpApiSettings;

    public McpApiFactory McpApi => _mcpApi ?? throw new InvalidOperationException("The graph has not started.");

    /// <summary>Every line mcpapi logged, formatted, with exception text.</summary>
    public CapturedLogs Logs { get; } = new();

    public ScriptedSource Source(string id) => sources.Single(s => s.Id == id);

    /// <summary>Other sources a derived graph registers beside the scripted ones.</summary>
    protected virtual IEnumerable<IDocumentSource> MoreSources => [];

    public Task InitializeAsync()
    {
        _connectors = ConnectorsApp.Start(_root, _key,
            services =>
            {
                foreach (var source in sources.Concat<IDocumentSource>(MoreSources))
                {
                    services.AddSingleton(source);
                }
            },
            ("Logging:LogLevel:Default", "Warning"));
        _mcpApi = new Wired(this);
        _ = _mcpApi.BaseAddress;
        return Task.CompletedTask;
    }

    /// <summary>Another mcpapi on the same connectors and settings (and so the same Redis): a second replica.</summary>
    public McpApiFactory StartReplica()
    {
        var replica = new Wired(this);
        _replicas.Add(replica);
        _ = replica.BaseAddress;
        return replica;
    }

    /// <summary>mcpapi's <c>/health</c> (or a replica's): the overall status and each check's.</summary>
    public async Task<(int Code, string Status, Dictionary<string, string> Checks)> HealthAsync(McpApiFactory? replica = null)
    {
        using var http = new HttpClient { BaseAddress = (replica ?? McpApi).BaseAddress };
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return ((int)response.StatusCode, body.GetProperty("status").GetString()!,
            body.GetProperty("checks").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.GetProperty("status").GetString()!));
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
        if (_mcpApi is not null)
        {
            await _mcpApi.DisposeAsync();
        }
        if (_connectors is not null)
        {
            await _connectors.DisposeAsync();
        }
        Directory.Delete(_root, recursive: true);
        GC.SuppressFinalize(this);
    }

    private sealed class Wired(ScriptedConnectorsGraph graph) : McpApiFactory
    {
        public override string ConnectorsUrl => graph._connectors!.BaseAddress.ToString().TrimEnd('/');

        public override string SigningKey => graph._key;

        protected override void ConfigureTestHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in graph.McpApiSettings)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(graph.Logs));
        }
    }
}
