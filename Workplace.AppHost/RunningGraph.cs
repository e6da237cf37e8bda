using System.Diagnostics;
using System.Globalization;
using Workplace.AppHost.Resources;

namespace Workplace.AppHost;

/// <summary>The started graph. Disposing it stops every process it started, services first, then Redis.</summary>
public sealed class RunningGraph : IAsyncDisposable
{
    private readonly GraphOptions _options;
    private readonly List<ServiceProcess> _services = [];

    internal RunningGraph(GraphOptions options) => _options = options;

    public GraphDefinition Definition { get; private set; } = new(null, []);

    /// <summary>Null when redis-server is not installed (or not wanted): services run on their in-process cache.</summary>
    public RedisServer? Redis { get; private set; }

    public IReadOnlyList<ServiceProcess> Services => _services;

    public ServiceProcess this[string name] => _services.Single(s => s.Name == name);

    /// <summary>The MCP endpoint clients connect to.</summary>
    public Uri McpEndpoint => new(this[WorkplaceGraph.McpApi].Url, "/mcp");

    /// <summary>A development bearer token for <see cref="McpEndpoint"/>, when <see cref="GraphOptions.DevTokens"/> is set.</summary>
    public string? DevToken { get; private set; }

    /// <summary>How long the start took, Redis through the last service's health.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>Completes with the name of the first service that crashed too often and was left down.</summary>
    public Task<string> ServiceGaveUp { get; private set; } = new TaskCompletionSource<string>().Task;

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var output = _options.Output;
        if (_options.UseRedis && RedisServer.FindExecutable() is not null)
        {
            var dataDirectory = _options.RedisDataDirectory ?? Path.Combine(_options.RepositoryRoot, ".data", "redis");
            Redis = await RedisServer.StartAsync(WorkplaceGraph.Cache, dataDirectory, _options.PersistRedis, output, cancellationToken);
            output.Info(WorkplaceGraph.Cache, string.Create(CultureInfo.InvariantCulture, $"redis-server ready on {Redis.ConnectionString} (data: {dataDirectory})"));
        }
        else
        {
            output.Info(WorkplaceGraph.Cache, _options.UseRedis
                ? $"redis-server is not on PATH: the services use their in-process caches (one instance each, lost on restart). {RedisServer.InstallHint}"
                : "Redis is off for this graph: the services use their in-process caches.");
        }

        var connectorsPort = RedisServer.FreeLoopbackPort();
        var mcpApiPort = _options.McpApiPort ?? RedisServer.FreeLoopbackPort();
        Definition = WorkplaceGraph.Describe(_options, Redis?.ConnectionString, connectorsPort, mcpApiPort, WorkplaceGraph.NewSigningKey());

        // Start order is dependency order: each service waits for the previous one's health.
        foreach (var definition in Definition.Services)
        {
            var service = new ServiceProcess(definition, output, _options.Restart, _options.HealthTimeout);
            _services.Add(service);
            await service.StartAsync(cancellationToken);
        }
        ServiceGaveUp = Task.WhenAny(_services.Select(async s =>
        {
            await s.GaveUp;
            return s.Name;
        })).Unwrap();

        if (_options.DevTokens is { } devTokens)
        {
            DevToken = devTokens.MintToken(this[WorkplaceGraph.McpApi].Url);
        }
        StartDuration = started.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            service.BeginStop();
        }
        // Reverse dependency order: the edge stops taking requests before what it calls goes away.
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            await _services[i].DisposeAsync();
        }
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }
}
