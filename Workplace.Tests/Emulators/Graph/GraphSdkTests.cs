using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Search.Query;
using Microsoft.Kiota.Abstractions.Authentication;
using Workplace.Emulators.Faults;

namespace Workplace.Tests.Emulators.Graph;

/// <summary>The official Microsoft.Graph SDK, given only the emulator's base URL, searches, reads and downloads.</summary>
public sealed class GraphSdkTests
{
    [Fact]
    public async Task TheSdk_Searches_ReadsAnItem_AndDownloadsItsContent()
    {
        await using var emulators = new EmulatorsHost();
        using var http = new HttpClient();
        var graph = await ClientAsync(emulators, http, "aditi");

        var found = await graph.Search.Query.PostAsQueryPostResponseAsync(SearchBody("handoff"));
        var hit = found!.Value![0].HitsContainers![0].Hits!.Single(h => h.Resource is DriveItem { Name: "On-call handoff checklist.txt" });
        var hitItem = (DriveItem)hit.Resource!;
        var item = await graph.Drives[hitItem.ParentReference!.DriveId].Items[hitItem.Id].GetAsync();
        await using var content = await graph.Drives[hitItem.ParentReference.DriveId].Items[hitItem.Id].Content.GetAsync();
        using var reader = new StreamReader(content!);

        Assert.Contains("<c0>", hit.Summary, StringComparison.Ordinal);
        Assert.Equal("text/plain", item!.File!.MimeType);
        Assert.Equal(hitItem.Id, item.Id);
        Assert.StartsWith("http", (string)item.AdditionalData["@microsoft.graph.downloadUrl"], StringComparison.Ordinal);
        var expected = await File.ReadAllTextAsync(Path.Combine(Infrastructure.RepositoryRoot.Path, "samples/workspace/engineering/runbooks/on-call-handoff-checklist.txt"));
        Assert.Equal(expected, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task TheSdk_PagesWithFromAndSize_UntilNoMoreResults()
    {
        await using var emulators = new EmulatorsHost();
        using var http = new HttpClient();
        var graph = await ClientAsync(emulators, http, "priya");

        var ids = new List<string>();
        var from = 0;
        SearchHitsContainer container;
        do
        {
            var page = await graph.Search.Query.PostAsQueryPostResponseAsync(SearchBody("the", from, 4));
            container = page!.Value![0].HitsContainers![0];
            ids.AddRange(container.Hits!.Select(h => h.HitId!));
            from += 4;
        }
        while (container.MoreResultsAvailable == true);

        Assert.Equal(container.Total, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.Count > 4);
    }

    [Fact]
    public async Task TheSdk_ReadsGraphsErrors_AsODataErrors()
    {
        await using var emulators = new EmulatorsHost();
        using var http = new HttpClient();
        var renata = await ClientAsync(emulators, http, "renata");
        var aditi = await ClientAsync(emulators, http, "aditi");
        var found = await renata.Search.Query.PostAsQueryPostResponseAsync(SearchBody("Calloway"));
        var privateItem = found!.Value![0].HitsContainers![0].Hits!.Select(h => (DriveItem)h.Resource!).Single(i => i.Name == "Calloway Grocers call log.txt");
        emulators.Faults.Add("graph", new Fault(FaultKind.RateLimited, Count: 1, RetryAfterSeconds: 30, User: "renata"));

        var notFound = await Assert.ThrowsAsync<ODataError>(() => aditi.Drives[privateItem.ParentReference!.DriveId].Items[privateItem.Id].GetAsync());
        var throttled = await Assert.ThrowsAsync<ODataError>(() => renata.Search.Query.PostAsQueryPostResponseAsync(SearchBody("Calloway")));

        Assert.Equal(404, notFound.ResponseStatusCode);
        Assert.Equal("itemNotFound", notFound.Error!.Code);
        Assert.Equal(429, throttled.ResponseStatusCode);
        Assert.Equal("TooManyRequests", throttled.Error!.Code);
        Assert.Contains(throttled.ResponseHeaders, h => h.Key == "Retry-After" && h.Value.Single() == "30");
    }

    [Fact]
    public async Task TheSdksRetryHandler_WaitsOutA429_AndSucceeds()
    {
        await using var emulators = new EmulatorsHost();
        using var http = GraphClientFactory.Create();
        var graph = await ClientAsync(emulators, http, "aditi");
        emulators.Faults.Add("graph", new Fault(FaultKind.RateLimited, Count: 1, RetryAfterSeconds: 1));

        var found = await graph.Search.Query.PostAsQueryPostResponseAsync(SearchBody("Kestrel"));

        Assert.True(found!.Value![0].HitsContainers![0].Total > 0);
        Assert.Null(emulators.Faults.Take("graph", "aditi"));
    }

    private static async Task<GraphServiceClient> ClientAsync(EmulatorsHost emulators, HttpClient http, string user)
    {
        var grant = await emulators.GrantAsync(user);
        var tokens = new BaseBearerTokenAuthenticationProvider(new StaticToken(grant.GetProperty("access_token").GetString()!));
        return new GraphServiceClient(http, tokens, new Uri(emulators.BaseAddress, "/graph/v1.0").ToString());
    }

    private static QueryPostRequestBody SearchBody(string query, int from = 0, int size = 25) => new()
    {
        Requests =
        [
            new SearchRequest { EntityTypes = [EntityType.DriveItem], Query = new SearchQuery { QueryString = query }, From = from, Size = size },
        ],
    };

    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(token);
    }
}
