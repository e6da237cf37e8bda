using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Workplace.McpApi;

namespace Workplace.Tests.ServiceDefaults;

public sealed class ServiceDiscoveryTests
{
    [Theory]
    [InlineData("peer")]
    [InlineData("unconfigured")]
    public async Task Client_ResolvesItsServiceFromConfiguration_AndEachRetryGoesThroughDiscovery(string client)
    {
        await using var server = await FlakyServer.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // What the AppHost sets for a referenced service.
            ["services:peer:http:0"] = server.BaseAddress.ToString().TrimEnd('/'),
            ["HttpResilience:Retry:Delay"] = "00:00:00",
            ["HttpResilience:Clients:peer:Retry:MaxRetryAttempts"] = "2",
        });
        builder.AddServiceDefaults();
        using var host = builder.Build();
        await host.StartAsync();
        server.Script("/flaky", new FlakyServer.Reply(503));

        var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(client);
        using var response = await http.GetAsync(new Uri("https+http://peer/flaky"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.HitsOn("/flaky").Count);
        // One resilience handler, outside the resolving one: a client with its own handler keeps the defaults' order.
        var chain = new List<HttpMessageHandler>();
        for (HttpMessageHandler? handler = host.Services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(client);
             handler is DelegatingHandler delegating; handler = delegating.InnerHandler)
        {
            chain.Add(handler);
        }
        var resilience = Assert.Single(chain.OfType<ResilienceHandler>());
        Assert.True(chain.IndexOf(resilience) < chain.FindIndex(h => h.GetType().Name == "ResolvingHttpDelegatingHandler"),
            $"handler order: {string.Join(" → ", chain.Select(h => h.GetType().Name))}");
    }

    [Fact]
    public void McpApi_WithoutTheConnectorsEndpoint_FailsAtStart_NamingTheVariable()
    {
        using var app = new WebApplicationFactory<McpApiAssembly>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting("Auth:Authority", "https://issuer.invalid");
            web.UseSetting("Auth:Resource", "https://workplace.test");
            web.UseSetting("Internal:SigningKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        });

        var error = Record.Exception(() => app.Server);

        Assert.NotNull(error);
        var messages = error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions.Select(e => e.Message) : [error.Message];
        Assert.Contains(messages, m => m.Contains("services__connectors__http__0", StringComparison.Ordinal));
    }
}
