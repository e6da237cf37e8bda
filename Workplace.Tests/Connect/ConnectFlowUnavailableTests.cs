using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Workplace.McpApi.Connect;
using Workplace.Tests.Mcp;

namespace Workplace.Tests.Connect;

/// <summary>mcpapi without Redis and with no connectors listening: the connect link ends on a page that says to try again.</summary>
public sealed class ConnectFlowUnavailableTests
{
    [Fact]
    public async Task Connectors_that_do_not_answer_are_a_try_again_page()
    {
        await using var mcpapi = new McpApiFactory();
        var link = new Uri(mcpapi.Services.GetRequiredService<ConnectLinks>().For(ConnectGraph.User("unavailable", ConnectGraph.Aditi.Email), ConnectGraph.GoogleDrive));
        using var browser = ConnectGraph.Browser();
        using var response = await browser.GetAsync(new Uri(mcpapi.BaseAddress, link.PathAndQuery));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("Wait a minute, then open the connect link again.", page, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.False(response.Headers.Contains("Set-Cookie"), "no cookie binds a browser to a flow that did not start");
    }
}
