using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Workplace.Connectors.Sources.Providers;
using Workplace.Tests.Auth;
using Workplace.Tests.Emulators;
using Workplace.Tests.ServiceDefaults;

namespace Workplace.Tests.Sources.Providers;

/// <summary>
/// A host with AddServiceDefaults and two provider clients set up by AddProviderResilience, calling the real emulators:
/// "notion" (Notion's API, Notion-Version set) and "drive" (Drive v3). Time is a <see cref="WatchedTimeProvider"/>.
/// </summary>
public sealed class ProviderHost : IDisposable
{
    public const string NotionVersion = "2025-09-03";

    private readonly IHost _host;

    private ProviderHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public ProviderCircuits Circuits => Services.GetRequiredService<ProviderCircuits>();

    public HttpClient Notion => Services.GetRequiredService<IHttpClientFactory>().CreateClient("notion");

    public HttpClient Drive => Services.GetRequiredService<IHttpClientFactory>().CreateClient("drive");

    public static async Task<ProviderHost> StartAsync(Uri emulators, TimeProvider time, Dictionary<string, string?>? settings = null, IConnectionMultiplexer? redis = null, CapturedLogs? logs = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton(time);
        if (redis is not null)
        {
            builder.Services.AddSingleton(redis);
        }
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient("notion", http =>
        {
            http.BaseAddress = new Uri(emulators, "notion/v1/");
            http.DefaultRequestHeaders.Add("Notion-Version", NotionVersion);
        }).AddProviderResilience("notion", "Notion", "Notion");
        builder.Services.AddHttpClient("drive", http => http.BaseAddress = new Uri(emulators, "google/drive/v3/"))
            .AddProviderResilience("google_drive", "GoogleDrive", "Google Drive");
        var host = builder.Build();
        await host.StartAsync();
        return new ProviderHost(host);
    }

    public static HttpRequestMessage Get(string path, string token) => With(new HttpRequestMessage(HttpMethod.Get, path), token);

    public static HttpRequestMessage NotionSearch(string token, string query) =>
        With(new HttpRequestMessage(HttpMethod.Post, "search") { Content = JsonContent.Create(new { query }) }, token);

    private static HttpRequestMessage With(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public void Dispose() => _host.Dispose();
}

/// <summary>The emulators, with every provider API request (not the admin ones) counted as it arrives.</summary>
public sealed class CountedEmulators : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _paths = new();
    private readonly EmulatorsHost _host;

    private CountedEmulators()
    {
        _host = new EmulatorsHost { ConfigureServices = services => services.AddSingleton<IStartupFilter>(new Counter(_paths)) };
    }

    /// <summary>Starts the emulators on loopback; returns once they listen.</summary>
    public static Task<CountedEmulators> StartAsync()
    {
        var emulators = new CountedEmulators();
        _ = emulators.BaseAddress;
        return Task.FromResult(emulators);
    }

    public Uri BaseAddress => _host.BaseAddress;

    /// <summary>How many requests reached <paramref name="prefix"/> (e.g. <c>/notion/v1/</c>).</summary>
    public int Requests(string prefix) => _paths.Count(p => p.StartsWith(prefix, StringComparison.Ordinal));

    public int NotionRequests => Requests("/notion/v1/");

    public int DriveRequests => Requests("/google/drive/v3/");

    public async Task FaultAsync(string provider, object fault)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var response = await http.PostAsJsonAsync($"/admin/faults/{provider}", fault);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync(string provider)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var response = await http.DeleteAsync($"/admin/faults/{provider}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>An access token for <paramref name="user"/> from the provider's admin grant endpoint.</summary>
    public async Task<string> TokenAsync(string provider, string user, string? scope = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var response = await http.PostAsJsonAsync($"/admin/{provider}/grants", scope is null ? new { user } : (object)new { user, scope });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private sealed class Counter(ConcurrentQueue<string> paths) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                paths.Enqueue(context.Request.Path.Value ?? "");
                return following(context);
            });
            next(app);
        };
    }
}
