#pragma warning disable MCP9005 // logging/setLevel is deprecated in 2026-07-28; the 2025 scenarios still use it.

using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Workplace.McpApi.Mcp;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Conformance;

/// <summary>
/// A loopback web server that serves the suite's fixtures through the same endpoint Workplace.McpApi maps at /mcp:
/// the SDK's MapMcp behind our filters (<see cref="McpEndpointExtensions.MapMcpEndpoint"/>).
/// </summary>
public sealed class ConformanceServerHost : IAsyncLifetime
{
    private LoopbackServer? _server;

    public string McpUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await LoopbackServer.StartAsync(app => app.MapMcpEndpoint("/mcp"), services =>
        {
            services.AddMcpServer(options => options.ServerInfo = new Implementation { Name = "workplace-conformance", Version = "1.0.0" })
                .WithStatelessHttpEndpoint()
                .WithTools<ContentFixtureTools>()
                .WithTools<InputRequiredFixtureTools>()
                .WithTools([ContentFixtureTools.JsonSchema202012Tool(), HeaderFixtureTools.CustomHeaders()])
                .WithResources<FixtureResources>()
                .WithPrompts<FixturePrompts>()
                .WithResourceUriInErrors()
                .WithCompleteHandler((_, _) => ValueTask.FromResult(new CompleteResult { Completion = new Completion { Values = [], Total = 0, HasMore = false } }))
                .WithSetLoggingLevelHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
                // SEP-2549: the fixtures are the same for every caller, so their lists and reads are publicly cacheable.
                .WithRequestFilters(filters => filters
                    .AddListToolsFilter(next => async (request, ct) => Cacheable(await next(request, ct)))
                    .AddListPromptsFilter(next => async (request, ct) => Cacheable(await next(request, ct)))
                    .AddListResourcesFilter(next => async (request, ct) => Cacheable(await next(request, ct)))
                    .AddListResourceTemplatesFilter(next => async (request, ct) => Cacheable(await next(request, ct)))
                    .AddReadResourceFilter(next => async (request, ct) => Cacheable(await next(request, ct))));
        });
        McpUrl = new Uri(_server.BaseAddress, "/mcp").ToString();

        // The suite's first scenario reads tool-call streams with sub-second deadlines: compile the call path once
        // before it starts, so a cold host on a busy machine is not mistaken for a silent one.
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(McpUrl),
            TransportMode = HttpTransportMode.StreamableHttp,
        }), new McpClientOptions { ProtocolVersion = "2026-07-28" });
        await client.ListToolsAsync();
        await client.CallToolAsync("test_logging_tool", new Dictionary<string, object?>());
    }

    private static ListToolsResult Cacheable(ListToolsResult result) { result.TimeToLive = TimeSpan.FromMinutes(5); result.CacheScope = CacheScope.Public; return result; }

    private static ListPromptsResult Cacheable(ListPromptsResult result) { result.TimeToLive = TimeSpan.FromMinutes(5); result.CacheScope = CacheScope.Public; return result; }

    private static ListResourcesResult Cacheable(ListResourcesResult result) { result.TimeToLive = TimeSpan.FromMinutes(5); result.CacheScope = CacheScope.Public; return result; }

    private static ListResourceTemplatesResult Cacheable(ListResourceTemplatesResult result) { result.TimeToLive = TimeSpan.FromMinutes(5); result.CacheScope = CacheScope.Public; return result; }

    private static ReadResourceResult Cacheable(ReadResourceResult result) { result.TimeToLive = TimeSpan.FromMinutes(1); result.CacheScope = CacheScope.Public; return result; }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
