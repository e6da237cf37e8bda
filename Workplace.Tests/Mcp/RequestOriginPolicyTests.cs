using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Workplace.McpApi.Mcp;

namespace Workplace.Tests.Mcp;

public sealed class RequestOriginPolicyTests
{
    [Theory]
    [InlineData("mcp.example.com", true)]
    [InlineData("MCP.example.com", true)]
    [InlineData("localhost", true)]
    [InlineData("evil.example.com", false)]
    [InlineData("mcp.example.com.evil.example.com", false)]
    public void WithoutAllowedHosts_TheHostOfTheResourceIsServed_AndNoOther(string host, bool served)
    {
        var policy = Policy(new McpEndpointOptions(), "https://mcp.example.com/mcp");

        Assert.Equal(served, policy.Check(Request(host)) is null);
    }

    [Fact]
    public void AllowedHosts_ReplaceTheDefaults()
    {
        var options = new McpEndpointOptions();
        options.AllowedHosts.Add("gateway.example.com");
        var policy = Policy(options, "https://mcp.example.com/mcp");

        Assert.Null(policy.Check(Request("gateway.example.com")));
        var refusal = policy.Check(Request("mcp.example.com"));
        Assert.NotNull(refusal);
        Assert.Contains("Mcp:AllowedHosts", refusal, StringComparison.Ordinal);
    }

    private static RequestOriginPolicy Policy(McpEndpointOptions options, string resource) =>
        new(new StaticOptions(options), new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:Resource"] = resource }).Build());

    private static HttpRequest Request(string host)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString(host);
        return context.Request;
    }

    private sealed class StaticOptions(McpEndpointOptions value) : IOptionsMonitor<McpEndpointOptions>
    {
        public McpEndpointOptions CurrentValue => value;

        public McpEndpointOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<McpEndpointOptions, string?> listener) => null;
    }
}
