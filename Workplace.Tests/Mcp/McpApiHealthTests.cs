using System.Net;

namespace Workplace.Tests.Mcp;

public sealed class McpApiHealthTests
{
    [Fact]
    public async Task Health_is_unhealthy_while_connectors_is_unreachable_and_alive_stays_up()
    {
        await using var factory = new McpApiFactory();
        using var http = new HttpClient { BaseAddress = factory.BaseAddress };

        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
        using var alive = await http.GetAsync(new Uri("/alive", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Health_is_healthy_with_connectors_up()
    {
        await using var graph = new McpApiWithConnectors();
        await graph.InitializeAsync();
        using var http = new HttpClient { BaseAddress = graph.McpApi.BaseAddress };

        using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.True(health.StatusCode == HttpStatusCode.OK, await health.Content.ReadAsStringAsync());
    }
}
