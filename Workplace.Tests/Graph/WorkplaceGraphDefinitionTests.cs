using Workplace.AppHost;

namespace Workplace.Tests.Graph;

public sealed class WorkplaceGraphDefinitionTests
{
    private static readonly GraphOptions s_options = new()
    {
        Output = new CollectingGraphOutput(),
        Environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "from-the-shell",
            ["UNRELATED"] = "x",
        },
    };

    [Fact]
    public void Describe_WiresAspiresContractBetweenTheServices()
    {
        var key = WorkplaceGraph.NewSigningKey();

        var graph = WorkplaceGraph.Describe(s_options, "127.0.0.1:6399", 5001, 5002, key);

        var connectors = graph.Services.Single(s => s.Name == WorkplaceGraph.Connectors);
        var mcpapi = graph.Services.Single(s => s.Name == WorkplaceGraph.McpApi);
        Assert.Equal([WorkplaceGraph.Connectors, WorkplaceGraph.McpApi], graph.Services.Select(s => s.Name));
        Assert.Equal(WorkplaceGraph.Connectors, mcpapi.WaitFor);
        Assert.Equal("http://127.0.0.1:5001", mcpapi.Environment["services__connectors__http__0"]);
        Assert.Equal("http://127.0.0.1:5001", connectors.Environment["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:5002", mcpapi.Environment["ASPNETCORE_URLS"]);
        foreach (var service in graph.Services)
        {
            Assert.Equal("127.0.0.1:6399", service.Environment["ConnectionStrings__cache"]);
            Assert.Equal(key, service.Environment["Internal__SigningKey"]);
            Assert.Equal("Development", service.Environment["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal("http://collector:4318", service.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("http/protobuf", service.Environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
            Assert.Equal(service.Name, service.Environment["OTEL_SERVICE_NAME"]);
            Assert.StartsWith($"service.instance.id={service.Name}-", service.Environment["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
            Assert.False(service.Environment.ContainsKey("UNRELATED"));
            Assert.True(File.Exists(service.AssemblyPath), service.AssemblyPath);
        }
        Assert.True(Directory.Exists(connectors.Environment["Sources__Files__Root"]), connectors.Environment["Sources__Files__Root"]);
        Assert.Equal(32, Convert.FromBase64String(key).Length);
        Assert.NotEqual(key, WorkplaceGraph.NewSigningKey());
        Assert.Contains("Internal__SigningKey", WorkplaceGraph.SecretVariables);
    }

    [Fact]
    public void Describe_WithoutRedis_RemovesAnInheritedCacheConnection()
    {
        var graph = WorkplaceGraph.Describe(s_options, null, 5001, 5002, WorkplaceGraph.NewSigningKey());

        Assert.All(graph.Services, s =>
        {
            Assert.False(s.Environment.ContainsKey("ConnectionStrings__cache"));
            Assert.Contains("ConnectionStrings__cache", s.RemovedEnvironment);
        });
        Assert.Null(graph.Services[0].WaitFor);
    }

    [Fact]
    public void RestartPolicy_BacksOffExponentially_UpToTheCap()
    {
        var policy = new RestartPolicy { BaseDelay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(3) };

        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.DelayFor(1));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayFor(2));
        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayFor(3));
        Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayFor(4));
        Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayFor(40));
    }
}
