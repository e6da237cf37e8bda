using System.Collections;
using System.Globalization;
using System.Security.Cryptography;

namespace Workplace.AppHost;

/// <summary>What to start, and how. The defaults are what <c>dotnet run --project Workplace.AppHost</c> uses.</summary>
public sealed record GraphOptions
{
    /// <summary>The folder holding Workplace.sln; samples/workspace is the files source's root.</summary>
    public string RepositoryRoot { get; init; } = ProjectPaths.RepositoryRoot;

    /// <summary>Start redis-server when it is on PATH; false runs every service on its in-process cache.</summary>
    public bool UseRedis { get; init; } = true;

    /// <summary>Where redis-server keeps its data; null: <c>.data/redis</c> under the repository root (git-ignored).</summary>
    public string? RedisDataDirectory { get; init; }

    /// <summary>Snapshot Redis to disk (the developer's graph) or keep it in memory only (tests).</summary>
    public bool PersistRedis { get; init; } = true;

    /// <summary>mcpapi's port on 127.0.0.1; null: any free port.</summary>
    public int? McpApiPort { get; init; }

    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public RestartPolicy Restart { get; init; } = new();

    public IGraphOutput Output { get; init; } = new ConsoleGraphOutput();

    /// <summary>The AppHost's environment; its <c>OTEL_*</c> variables are passed to every service.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = CurrentEnvironment();

    /// <summary>Mints the development bearer token and configures mcpapi to accept it (Workplace.AppHost/DevAuth); null: none.</summary>
    public IDevTokenIssuer? DevTokens { get; init; }

    private static Dictionary<string, string> CurrentEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
}

/// <summary>
/// The seam for Workplace.AppHost/DevAuth: with auth on, mcpapi must trust development tokens and the developer
/// (or a test) needs one. Both members take mcpapi's base URL, whose <c>/mcp</c> is the token audience.
/// </summary>
public interface IDevTokenIssuer
{
    /// <summary>Environment variables mcpapi needs to accept the tokens <see cref="MintToken"/> returns.</summary>
    IReadOnlyDictionary<string, string> McpApiEnvironment(Uri mcpApiUrl);

    string MintToken(Uri mcpApiUrl);
}

/// <summary>One service: its process, where it listens, its environment, what it waits for.</summary>
public sealed record ServiceDefinition(
    string Name,
    string AssemblyPath,
    Uri Url,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> RemovedEnvironment,
    string? WaitFor);

/// <summary>The graph's services in start order; redis (when used) comes first and is described by its connection string.</summary>
public sealed record GraphDefinition(string? CacheConnectionString, IReadOnlyList<ServiceDefinition> Services);

/// <summary>
/// The Workplace graph, defined once: cache (redis-server) → connectors → mcpapi. The AppHost runs it for a
/// developer; Workplace.Tests starts the very same graph.
/// </summary>
public static class WorkplaceGraph
{
    public const string Cache = "cache";
    public const string Connectors = "connectors";
    public const string McpApi = "mcpapi";

    /// <summary>Variables whose values are secrets: never printed.</summary>
    public static readonly IReadOnlySet<string> SecretVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "Internal__SigningKey",
        "OTEL_EXPORTER_OTLP_HEADERS",
    };

    /// <summary>
    /// Describes both services with their environment: Aspire's contract (ConnectionStrings__cache,
    /// services__connectors__http__0, OTEL_*, ASPNETCORE_URLS) plus ours (Internal__SigningKey, Sources__Files__Root).
    /// </summary>
    public static GraphDefinition Describe(GraphOptions options, string? cacheConnectionString, int connectorsPort, int mcpApiPort, string signingKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectorsUrl = LoopbackUrl(connectorsPort);
        var mcpApiUrl = LoopbackUrl(mcpApiPort);
        var instance = Guid.NewGuid().ToString("N")[..8];

        Dictionary<string, string> Common(string name, Uri url)
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Internal__SigningKey"] = signingKey,
                // One line per log entry, so every line carries the service's prefix.
                ["Logging__Console__FormatterName"] = "simple",
                ["Logging__Console__FormatterOptions__SingleLine"] = "true",
                // The service exits when the AppHost's end of its stdin pipe closes, even if the AppHost was SIGKILLed.
                ["WORKPLACE_EXIT_ON_STDIN_EOF"] = "true",
            };
            if (cacheConnectionString is not null)
            {
                environment["ConnectionStrings__cache"] = cacheConnectionString;
            }
            if (ConsoleGraphOutput.IsTerminal && options.Output is ConsoleGraphOutput)
            {
                environment["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "true";
            }
            foreach (var (key, value) in options.Environment)
            {
                if (key.StartsWith("OTEL_", StringComparison.Ordinal))
                {
                    environment[key] = value;
                }
            }
            environment["OTEL_SERVICE_NAME"] = name;
            var instanceAttribute = $"service.instance.id={name}-{instance}";
            environment["OTEL_RESOURCE_ATTRIBUTES"] = options.Environment.TryGetValue("OTEL_RESOURCE_ATTRIBUTES", out var attributes) && attributes.Length > 0
                ? $"{attributes},{instanceAttribute}"
                : instanceAttribute;
            return environment;
        }

        // A service must not inherit the cache of the shell that started the AppHost when this graph has none.
        IReadOnlyList<string> removed = cacheConnectionString is null ? ["ConnectionStrings__cache"] : [];

        var connectorsEnvironment = Common(Connectors, connectorsUrl);
        connectorsEnvironment["Sources__Files__Root"] = Path.Combine(options.RepositoryRoot, "samples", "workspace");

        var mcpApiEnvironment = Common(McpApi, mcpApiUrl);
        mcpApiEnvironment["services__connectors__http__0"] = connectorsUrl.ToString().TrimEnd('/');
        if (options.DevTokens is { } devTokens)
        {
            foreach (var (key, value) in devTokens.McpApiEnvironment(mcpApiUrl))
            {
                mcpApiEnvironment[key] = value;
            }
        }
        else if (!options.Environment.ContainsKey("Auth__Resource"))
        {
            // An issuer of the developer's own (Auth__Authority, DESCOPE_PROJECT_ID) reaches mcpapi through the
            // inherited environment; mcpapi also needs its canonical URI, which only the AppHost knows.
            mcpApiEnvironment["Auth__Resource"] = new Uri(mcpApiUrl, "mcp").ToString();
        }

        return new GraphDefinition(cacheConnectionString,
        [
            new ServiceDefinition(Connectors, ProjectPaths.ServiceAssembly("Workplace.Connectors"), connectorsUrl, connectorsEnvironment, removed, cacheConnectionString is null ? null : Cache),
            new ServiceDefinition(McpApi, ProjectPaths.ServiceAssembly("Workplace.McpApi"), mcpApiUrl, mcpApiEnvironment, removed, Connectors),
        ]);
    }

    /// <summary>Starts the graph and returns once every service answers <c>/health</c>; on failure stops what it started.</summary>
    public static async Task<RunningGraph> StartAsync(GraphOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var graph = new RunningGraph(options);
        try
        {
            await graph.StartAsync(cancellationToken);
            return graph;
        }
        catch
        {
            await graph.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh 32-byte key per run: both services get it, nothing else ever sees it.</summary>
    public static string NewSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static Uri LoopbackUrl(int port) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
}
