using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Workplace.McpApi.Caching;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.ServiceDefaults;

public sealed class HealthEndpointTests
{
    private static async Task<WebApplication> StartAppAsync(string? cache, Action<IHealthChecksBuilder>? checks = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:cache"] = cache });
        builder.AddServiceDefaults();
        // Redis is mcpapi's (connectors never uses it): its registration, with the readiness check, comes from there.
        builder.AddCaching();
        checks?.Invoke(builder.Services.AddHealthChecks());
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(WebApplication app, string path)
    {
        var response = await app.GetTestClient().GetAsync(path);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body, response);
    }

    [Fact]
    public async Task RedisDown_HealthIsDegraded_AliveStaysHealthy()
    {
        // A port nothing listens on.
        await using var app = await StartAppAsync($"127.0.0.1:{RedisServer.FreeLoopbackPort()}");

        var health = await GetAsync(app, "/health");
        var alive = await GetAsync(app, "/alive");

        // Degraded, not Unhealthy: mcpapi keeps answering without Redis (uncached, limits per process), so readiness holds.
        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.Equal("Degraded", health.Body.GetProperty("status").GetString());
        Assert.Equal("Degraded", health.Body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.True(health.Response.Headers.CacheControl?.NoStore);
        Assert.Equal(HttpStatusCode.OK, alive.Status);
        Assert.Equal("Healthy", alive.Body.GetProperty("checks").GetProperty("self").GetProperty("status").GetString());
    }

    [Fact]
    public async Task RedisUp_HealthIsHealthy_WithEveryCheckListed()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var app = await StartAppAsync(redis.ConnectionString);

        var health = await GetAsync(app, "/health");

        Assert.Equal(HttpStatusCode.OK, health.Status);
        var checks = health.Body.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("self").GetProperty("status").GetString());
    }

    [Fact]
    public async Task NoCacheConfigured_HealthIsHealthy_OnTheInProcessCache()
    {
        await using var app = await StartAppAsync(null);

        var health = await GetAsync(app, "/health");

        Assert.Equal(HttpStatusCode.OK, health.Status);
        Assert.False(health.Body.GetProperty("checks").TryGetProperty("redis", out _));
    }

    [Fact]
    public async Task FailingReadinessCheck_Answers503_WithoutTheExceptionText_WhileAliveStaysHealthy()
    {
        const string secret = "password=hunter2";
        await using var app = await StartAppAsync(null, checks => checks.AddCheck("downstream",
            () => HealthCheckResult.Unhealthy("The downstream service is unreachable.", new InvalidOperationException($"connect failed ({secret})"))));

        var health = await GetAsync(app, "/health");
        var alive = await GetAsync(app, "/alive");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        var downstream = health.Body.GetProperty("checks").GetProperty("downstream");
        Assert.Equal("Unhealthy", downstream.GetProperty("status").GetString());
        Assert.Equal("The downstream service is unreachable.", downstream.GetProperty("description").GetString());
        Assert.DoesNotContain(secret, health.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, alive.Status);
        Assert.False(alive.Body.GetProperty("checks").TryGetProperty("downstream", out _));
    }
}
