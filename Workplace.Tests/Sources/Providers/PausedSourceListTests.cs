using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Workplace.Connectors.Sources.Providers;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Sources.Providers;

// list_sources' paused_until, from the real Connectors app. No provider source is on this branch yet, so a provider
// client set up for the files source's id stands in for one: its breaker is tripped against the real Notion emulator.
public sealed class PausedSourceListTests
{
    [Fact]
    public async Task ListSources_SaysUntilWhenASourceIsPaused_AndNothingOnceTheBreakIsOver()
    {
        await using var emulators = await CountedEmulators.StartAsync();
        var token = await emulators.TokenAsync("notion", "aditi");
        var root = Directory.CreateTempSubdirectory("paused-sources-").FullName;
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var connectors = ConnectorsApp.Start(root, key,
            services => services.AddHttpClient("files-provider", http =>
            {
                http.BaseAddress = new Uri(emulators.BaseAddress, "notion/v1/");
                http.DefaultRequestHeaders.Add("Notion-Version", ProviderHost.NotionVersion);
            }).AddProviderResilience("files", "Files", "Files"),
            ("HttpResilience:Clients:files-provider:Retry:Delay", "00:00:00"),
            ("HttpResilience:Clients:files-provider:CircuitBreaker:BreakDuration", "00:00:01"));
        using var api = new HttpClient { BaseAddress = connectors.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", new InternalAssertion(key).Create(new InternalPrincipal("user-1", new HashSet<string> { "files" })));

        Assert.Null((await FilesAsync(api)).PausedUntil);

        await emulators.FaultAsync("notion", new { kind = "ServerError" });
        var provider = connectors.Services.GetRequiredService<IHttpClientFactory>().CreateClient("files-provider");
        var before = DateTimeOffset.UtcNow;
        await Poll.UntilAsync(async () =>
        {
            using var request = ProviderHost.Get("users/me", token);
            try
            {
                using var response = await provider.SendAsync(request);
                return false;
            }
            catch (BrokenCircuitException)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(20), "the provider client's circuit to open");

        var paused = (await FilesAsync(api)).PausedUntil;
        Assert.NotNull(paused);
        Assert.InRange(paused.Value, before, DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));

        await emulators.ClearFaultsAsync("notion");
        await Poll.UntilAsync(async () => (await FilesAsync(api)).PausedUntil is null, TimeSpan.FromSeconds(20), "the break to end");
        Directory.Delete(root, recursive: true);
    }

    private static async Task<SourceDescriptor> FilesAsync(HttpClient api)
    {
        var list = await api.GetFromJsonAsync(ConnectorRoutes.Sources, ConnectorJsonContext.Default.SourceList);
        return Assert.Single(list!.Sources, s => s.Id == "files");
    }
}
