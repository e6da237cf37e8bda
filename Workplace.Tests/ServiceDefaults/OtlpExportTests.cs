using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.ServiceDefaults;

public sealed class OtlpExportTests
{
    private static WebApplication BuildApp(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ApplicationName = "Workplace.Tests.OtlpApp",
            // The name is not an assembly: ASP.NET Core must not look for hosting startup code in it.
            Args = ["--preventHostingStartup=true"],
        });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapGet("/hello/{name}", (string name, ILogger<OtlpExportTests> logger) =>
        {
            logger.LogInformation("Greeting someone");
            return $"hello {name}";
        });
        app.MapGet("/boom", IResult () => throw new InvalidOperationException("boom"));
        // Calls out with the query it was given, over a real HttpClient from the factory.
        app.MapGet("/relay", async (HttpRequest request, IHttpClientFactory clients) =>
        {
            var target = new Uri(request.Query["to"].ToString());
            using var response = await clients.CreateClient("relay").GetAsync(target);
            return (int)response.StatusCode;
        });
        app.MapDefaultEndpoints();
        return app;
    }

    private static Dictionary<string, string?> Exporting(OtlpReceiver receiver) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_SERVICE_NAME"] = "otlp-test",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
    };

    [Fact]
    public async Task WithEndpoint_ExportsSpansMetricsAndLogs_OverHttpProtobuf_ButNoHealthProbeSpans()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var app = BuildApp(Exporting(receiver));
        await app.StartAsync();
        using var client = app.GetTestClient();

        // Probes first: had their spans been recorded they would be exported before the /hello one.
        (await client.GetAsync("/health")).EnsureSuccessStatusCode();
        (await client.GetAsync("/alive")).EnsureSuccessStatusCode();
        (await client.GetAsync("/hello/world")).EnsureSuccessStatusCode();
        await client.GetAsync("/boom");

        var hello = await Poll.UntilAsync(
            () => Task.FromResult(receiver.Spans().FirstOrDefault(s => s.Name == "GET /hello/{name}")),
            TimeSpan.FromSeconds(20), "the /hello span at the OTLP receiver");
        var boom = await Poll.UntilAsync(
            () => Task.FromResult(receiver.Spans().FirstOrDefault(s => s.Name == "GET /boom")),
            TimeSpan.FromSeconds(20), "the /boom span at the OTLP receiver");
        await Poll.UntilAsync(() => Task.FromResult(receiver.Received("metrics") > 0 && receiver.Received("logs") > 0),
            TimeSpan.FromSeconds(20), "metrics and logs at the OTLP receiver");

        Assert.Equal("otlp-test", hello.ServiceName);
        Assert.Equal("/hello/{name}", hello.Attributes["http.route"]);
        Assert.Equal("200", hello.Attributes["http.response.status_code"]);
        Assert.Equal("500", boom.Attributes["http.response.status_code"]);
        // The developer exception page (Development) turns the exception into the 500 before the instrumentation sees it.
        Assert.Contains(boom.Attributes["error.type"], new[] { "500", typeof(InvalidOperationException).FullName });
        var spans = receiver.Spans();
        Assert.DoesNotContain(spans, s => s.Name.Contains("/health", StringComparison.Ordinal) || s.Name.Contains("/alive", StringComparison.Ordinal)
            || s.Attributes.GetValueOrDefault("url.path") is "/health" or "/alive");
    }

    [Fact]
    public async Task QueryStrings_ReachNoSpanAndNoLog()
    {
        const string incoming = "incoming-secret-7f3a", outgoing = "outgoing-secret-91bc";
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var peer = await FlakyServer.StartAsync();
        var app = BuildApp(Exporting(receiver));
        await app.StartAsync();
        using (var client = app.GetTestClient())
        {
            (await client.GetAsync($"/hello/world?access_token={incoming}&code={incoming}")).EnsureSuccessStatusCode();
            var to = Uri.EscapeDataString(new Uri(peer.BaseAddress, $"/peer?api_key={outgoing}").ToString());
            (await client.GetAsync($"/relay?to={to}")).EnsureSuccessStatusCode();
        }
        // Disposing flushes every pending span, metric point and log record to the receiver.
        await app.DisposeAsync();

        var spans = receiver.Spans();
        var hello = Assert.Single(spans, s => s.Name == "GET /hello/{name}");
        var call = Assert.Single(spans, s => s.Attributes.GetValueOrDefault("url.full")?.Contains("/peer", StringComparison.Ordinal) == true);
        // The instrumentation keeps the incoming query's names and redacts the values; .NET's HttpClient redacts the
        // whole outgoing query.
        Assert.Equal("?access_token=Redacted&code=Redacted", hello.Attributes["url.query"]);
        Assert.EndsWith("/peer?*", call.Attributes["url.full"], StringComparison.Ordinal);
        Assert.True(receiver.Received("logs") > 0, "no log records were exported");
        Assert.False(receiver.AnyExportContains(incoming), "the incoming request's query values reached the exported telemetry");
        Assert.False(receiver.AnyExportContains(outgoing), "the outgoing request's query values reached the exported telemetry");
    }

    [Fact]
    public async Task Shutdown_FlushesWhatIsStillBuffered()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var settings = Exporting(receiver);
        // Nothing leaves on a schedule during the test: whatever arrives was flushed at shutdown.
        settings["OTEL_BSP_SCHEDULE_DELAY"] = settings["OTEL_BLRP_SCHEDULE_DELAY"] = settings["OTEL_METRIC_EXPORT_INTERVAL"] = "600000";
        var app = BuildApp(settings);
        await app.StartAsync();
        using (var client = app.GetTestClient())
        {
            (await client.GetAsync("/hello/world")).EnsureSuccessStatusCode();
        }
        Assert.Equal(0, receiver.Received("traces"));

        await app.StopAsync();
        await app.DisposeAsync();

        Assert.Contains(receiver.Spans(), s => s.Name == "GET /hello/{name}");
        Assert.True(receiver.Received("metrics") > 0, "no metrics were flushed at shutdown");
        Assert.True(receiver.Received("logs") > 0, "no logs were flushed at shutdown");
    }

    [Fact]
    public async Task WithoutEndpoint_ExportsNothing()
    {
        // Everything an exporter needs except OTEL_EXPORTER_OTLP_ENDPOINT: per-signal endpoints at a live receiver.
        await using var receiver = await OtlpReceiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        };
        foreach (var signal in (string[])["traces", "metrics", "logs"])
        {
            settings[$"OTEL_EXPORTER_OTLP_{signal.ToUpperInvariant()}_ENDPOINT"] = new Uri(receiver.Endpoint, $"/v1/{signal}").ToString();
        }
        var app = BuildApp(settings);
        await app.StartAsync();
        using (var client = app.GetTestClient())
        {
            (await client.GetAsync("/hello/nobody")).EnsureSuccessStatusCode();
        }
        await app.DisposeAsync();

        Assert.Equal(0, receiver.Received("traces") + receiver.Received("metrics") + receiver.Received("logs"));
    }
}
