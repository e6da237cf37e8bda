using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Workplace.Connectors.Sources;
using Workplace.McpApi.Auth;
using Workplace.McpApi.Connect;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Tests.Mcp;

/// <summary>
/// Inside the real Connectors app: notion must be connected per user (409 until then), google_drive answers and is an
/// emulated provider, sharepoint is paused after repeated failures (503 with Retry-After). files is the app's own, on an
/// empty folder.
/// </summary>
public sealed class ConnectingSourcesGraph() : ScriptedConnectorsGraph(
[
    new ScriptedSource("google_drive", ScriptedSource.OneHit("google_drive"))
    {
        Descriptor = new SourceDescriptor("google_drive", "Google Drive", "Full text of your Drive and shared drives.", RequiresConnection: false, Emulated: true),
    },
    new ScriptedSource("sharepoint", (_, _) => throw new SourceRequestException(SourceFailure.Unavailable, "SharePoint failed 5 times in a row.", PauseLength))
    {
        Descriptor = new SourceDescriptor("sharepoint", "SharePoint", "OneDrive and SharePoint sites.", RequiresConnection: false, PausedUntil: new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero)),
    },
])
{
    // Within the Retry-After mcpapi's resilience handler waits out (HttpResilience:MaxRetryAfter, 1 s): only the edge's
    // rule that a source's verdict is final keeps it from waiting and sending the search again.
    public static readonly TimeSpan PauseLength = TimeSpan.FromSeconds(1);

    public ConnectableSource Notion { get; } = new("notion");

    protected override IEnumerable<IDocumentSource> MoreSources => [Notion];
}

public sealed class ConnectSourceTests(ConnectingSourcesGraph graph) : IClassFixture<ConnectingSourcesGraph>
{
    private static readonly string[] s_notionAndDrive = ["notion", "google_drive"];

    [Fact]
    public async Task A_2026_client_is_asked_to_open_the_connect_url_and_its_retried_call_finds_the_source_connected()
    {
        var asked = new List<ElicitRequestParams>();
        await using var client = await ConnectAsync("2026-07-28", "elicit-2026", urlElicitation: true, (request, _) =>
        {
            asked.Add(request!);
            OpenInBrowser(request!.Url!, "notion");
            return ValueTask.FromResult(new ElicitResult { Action = "accept" });
        });

        var result = await client.CallToolAsync("search", Search("quarterly plan", s_notionAndDrive));

        var elicitation = Assert.Single(asked);
        Assert.Equal("url", elicitation.Mode);
        Assert.StartsWith("http://127.0.0.1/connect/notion?ticket=", elicitation.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("http", elicitation.Message, StringComparison.Ordinal);
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("ok", Status(result, "notion").GetProperty("status").GetString());
        Assert.Equal("ok", Status(result, "google_drive").GetProperty("status").GetString());
        Assert.Contains(Results(result), r => r.GetProperty("source").GetString() == "notion");
    }

    [Fact]
    public async Task A_user_who_accepts_but_does_not_connect_gets_the_other_sources_and_the_url_without_being_asked_again()
    {
        var asked = 0;
        await using var client = await ConnectAsync("2026-07-28", "accepts-but-leaves", urlElicitation: true, (_, _) =>
        {
            asked++;
            return ValueTask.FromResult(new ElicitResult { Action = "accept" });
        });

        var result = await client.CallToolAsync("search", Search("left halfway", s_notionAndDrive));

        Assert.Equal(1, asked);
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("not_connected", Status(result, "notion").GetProperty("status").GetString());
        Assert.StartsWith("http://127.0.0.1/connect/notion?ticket=", Status(result, "notion").GetProperty("connect_url").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", Status(result, "google_drive").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_2025_11_25_client_gets_the_url_elicitation_error_and_its_retry_succeeds()
    {
        await using var client = await ConnectAsync("2025-11-25", "elicit-2025", urlElicitation: true, handler: null);

        var error = await Assert.ThrowsAsync<UrlElicitationRequiredException>(async () => await client.CallToolAsync("search", Search("budget", s_notionAndDrive)));

        Assert.Equal(McpErrorCode.UrlElicitationRequired, error.ErrorCode);
        var elicitation = Assert.Single(error.Elicitations);
        Assert.Equal("url", elicitation.Mode);
        Assert.False(string.IsNullOrEmpty(elicitation.ElicitationId));
        OpenInBrowser(elicitation.Url!, "notion");
        var retried = await client.CallToolAsync("search", Search("budget", s_notionAndDrive));
        Assert.Equal("ok", Status(retried, "notion").GetProperty("status").GetString());
        Assert.Contains(Results(retried), r => r.GetProperty("source").GetString() == "notion");
    }

    [Fact]
    public async Task A_declining_client_gets_the_other_sources_results_and_the_connect_url()
    {
        var asked = 0;
        await using var client = await ConnectAsync("2026-07-28", "decliner", urlElicitation: true, (_, _) =>
        {
            asked++;
            return ValueTask.FromResult(new ElicitResult { Action = "decline" });
        });

        var result = await client.CallToolAsync("search", Search("roadmap", s_notionAndDrive));

        Assert.Equal(1, asked);
        Assert.NotEqual(true, result.IsError);
        var notion = Status(result, "notion");
        Assert.Equal("not_connected", notion.GetProperty("status").GetString());
        var url = notion.GetProperty("connect_url").GetString()!;
        Assert.Contains(url, Text(result), StringComparison.Ordinal);
        Assert.Equal("ok", Status(result, "google_drive").GetProperty("status").GetString());
        Assert.Single(Results(result), r => r.GetProperty("source").GetString() == "google_drive");
    }

    [Fact]
    public async Task A_client_without_url_elicitation_gets_the_other_sources_results_and_the_connect_url_and_is_never_asked()
    {
        var asked = 0;
        // A handler alone declares form-mode elicitation only: no URL may be sent to it.
        await using var formOnly = await ConnectAsync("2026-07-28", "no-url-2026", urlElicitation: false, (_, _) =>
        {
            asked++;
            return ValueTask.FromResult(new ElicitResult { Action = "accept" });
        });
        await using var legacy = await ConnectAsync("2025-11-25", "no-url-2025", urlElicitation: false, handler: null);

        foreach (var client in new[] { formOnly, legacy })
        {
            var result = await client.CallToolAsync("search", Search("roadmap", s_notionAndDrive));

            Assert.NotEqual(true, result.IsError);
            var notion = Status(result, "notion");
            Assert.Equal("not_connected", notion.GetProperty("status").GetString());
            Assert.Contains(notion.GetProperty("connect_url").GetString()!, Text(result), StringComparison.Ordinal);
            Assert.Single(Results(result), r => r.GetProperty("source").GetString() == "google_drive");
        }
        Assert.Equal(0, asked);
    }

    [Fact]
    public async Task A_source_searched_by_default_is_asked_about_once_in_ten_minutes_but_one_named_in_sources_every_time()
    {
        var asked = 0;
        await using var client = await ConnectAsync("2026-07-28", "not-nagged", urlElicitation: true, (_, _) =>
        {
            asked++;
            return ValueTask.FromResult(new ElicitResult { Action = "cancel" });
        });

        var first = await client.CallToolAsync("search", Search("first", sources: null));
        var second = await client.CallToolAsync("search", Search("second", sources: null));
        Assert.Equal(1, asked);
        Assert.All([first, second], r => Assert.Equal("not_connected", Status(r, "notion").GetProperty("status").GetString()));

        await client.CallToolAsync("search", Search("named", ["notion"]));
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task Not_connected_is_answered_with_an_absolute_connect_url_whose_ticket_names_only_that_user_and_is_not_cached()
    {
        await using var client = await ConnectAsync("2026-07-28", "ticket-holder", urlElicitation: false, handler: null);
        var arguments = Search("ticket", ["notion"]);

        var before = await client.CallToolAsync("search", arguments);

        var notion = Status(before, "notion");
        Assert.Equal("not_connected", notion.GetProperty("status").GetString());
        Assert.Contains("not connected for you", notion.GetProperty("message").GetString(), StringComparison.Ordinal);
        var url = new Uri(notion.GetProperty("connect_url").GetString()!);
        Assert.Equal("http://127.0.0.1/connect/notion", url.GetLeftPart(UriPartial.Path));
        var links = graph.McpApi.Services.GetRequiredService<ConnectLinks>();
        var ticket = links.Read(TicketOf(url), "notion");
        Assert.NotNull(ticket);
        Assert.Equal(UserKey("ticket-holder"), ticket.UserKey);
        Assert.NotEqual(UserKey("someone-else"), ticket.UserKey);
        Assert.Null(links.Read(TicketOf(url), "google_drive"));

        OpenInBrowser(url.ToString(), "notion");
        var after = await client.CallToolAsync("search", arguments);
        Assert.Equal("ok", Status(after, "notion").GetProperty("status").GetString());
    }

    [Fact]
    public void Connectors_are_told_the_user_key_the_granted_sources_and_the_email_of_the_token()
    {
        var access = graph.McpApi.Services.GetRequiredService<ISourceAccess>();
        var user = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "aditi"), new Claim("iss", "https://issuer.test"), new Claim("email", "aditi@example.test"), new Claim("scope", "workplace:read:notion workplace:read:files")], "test"));
        var withoutEmail = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "renata"), new Claim("iss", "https://issuer.test")], "test"));

        var principal = access.Principal(user);

        Assert.Equal(access.UserKey(user), principal.UserId);
        Assert.Equal(["files", "notion"], principal.GrantedSources.Order(StringComparer.Ordinal));
        Assert.Equal("aditi@example.test", principal.Email);
        Assert.Null(access.Principal(withoutEmail).Email);
        Assert.Empty(access.Principal(withoutEmail).GrantedSources);
    }

    [Fact]
    public async Task Fetch_in_a_source_that_is_not_connected_is_a_tool_error_naming_the_connect_url()
    {
        await using var client = await ConnectAsync("2026-07-28", "fetcher", urlElicitation: true, handler: (_, _) => ValueTask.FromResult(new ElicitResult()));

        var result = await client.CallToolAsync("fetch", new Dictionary<string, object?> { ["id"] = "notion:some-page" });

        Assert.True(result.IsError);
        Assert.Contains("http://127.0.0.1/connect/notion?ticket=", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paused_source_says_until_when_and_is_answered_at_once()
    {
        await using var client = await ConnectAsync("2026-07-28", "paused-reader", urlElicitation: false, handler: null);
        var sharepoint = graph.Source("sharepoint");
        var before = sharepoint.Searches;
        var started = DateTimeOffset.UtcNow;

        var result = await client.CallToolAsync("search", Search("paused", ["sharepoint"]));

        var ended = DateTimeOffset.UtcNow;
        var status = Status(result, "sharepoint");
        Assert.Equal("error", status.GetProperty("status").GetString());
        var message = status.GetProperty("message").GetString()!;
        Assert.Contains("paused after repeated failures", message, StringComparison.Ordinal);
        Assert.Contains("until ", message, StringComparison.Ordinal);
        // Until = when mcpapi heard the answer + Retry-After.
        Assert.InRange(status.GetProperty("paused_until").GetDateTimeOffset(), started + ConnectingSourcesGraph.PauseLength - TimeSpan.FromSeconds(1), ended + ConnectingSourcesGraph.PauseLength);
        // Answered at once: the pause was not waited out and the search was not sent again.
        Assert.Equal(1, sharepoint.Searches - before);
    }

    [Fact]
    public async Task List_sources_shows_each_source_as_connectors_report_it()
    {
        await using var client = await ConnectAsync("2026-07-28", "lister", urlElicitation: false, handler: null);

        var result = await client.CallToolAsync("list_sources", new Dictionary<string, object?>());

        Assert.NotEqual(true, result.IsError);
        var sources = result.StructuredContent!.Value.GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!);
        Assert.False(sources["notion"].GetProperty("connected").GetBoolean());
        Assert.StartsWith("http://127.0.0.1/connect/notion?ticket=", sources["notion"].GetProperty("connect_url").GetString(), StringComparison.Ordinal);
        Assert.Contains("titles only", sources["notion"].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(sources["google_drive"].GetProperty("connected").GetBoolean());
        Assert.True(sources["google_drive"].GetProperty("emulated").GetBoolean());
        Assert.False(sources["google_drive"].TryGetProperty("connect_url", out _));
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), sources["sharepoint"].GetProperty("paused_until").GetDateTimeOffset());
        Assert.False(sources["sharepoint"].GetProperty("emulated").GetBoolean());
        Assert.True(sources["files"].GetProperty("connected").GetBoolean());
        var text = Text(result);
        Assert.Contains("google_drive (Google Drive): granted, connected, emulated provider", text, StringComparison.Ordinal);
        Assert.Contains("paused after repeated failures until 2030-01-02T03:04:05Z", text, StringComparison.Ordinal);
        Assert.Contains("not connected (connect: http://127.0.0.1/connect/notion?ticket=", text, StringComparison.Ordinal);
    }

    private async Task<McpClient> ConnectAsync(string protocolVersion, string subject, bool urlElicitation, Func<ElicitRequestParams?, CancellationToken, ValueTask<ElicitResult>>? handler)
    {
        var mcpApi = graph.McpApi;
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = mcpApi.McpUrl, TransportMode = HttpTransportMode.StreamableHttp },
            mcpApi.Auth.CreateClient(subject: subject), ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "workplace-tests", Version = "1.0" },
            ProtocolVersion = protocolVersion,
            Capabilities = urlElicitation ? new ClientCapabilities { Elicitation = new ElicitationCapability { Url = new UrlElicitationCapability() } } : null,
            Handlers = new McpClientHandlers { ElicitationHandler = handler },
        });
    }

    /// <summary>What the browser does with a connect link: the ticket says who connects, and connectors stores it for that user.</summary>
    private void OpenInBrowser(string url, string source)
    {
        var ticket = graph.McpApi.Services.GetRequiredService<ConnectLinks>().Read(TicketOf(new Uri(url)), source)
            ?? throw new InvalidOperationException($"The connect link for {source} carries no valid ticket: {url}");
        graph.Notion.Connect(ticket.UserKey);
    }

    private static string TicketOf(Uri url) =>
        Uri.UnescapeDataString(url.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("ticket=", StringComparison.Ordinal))["ticket=".Length..]);

    private string UserKey(string subject)
    {
        var issuer = new JsonWebToken(graph.McpApi.Auth.Token(subject)).Issuer;
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", subject), new Claim("iss", issuer)], "test"));
        return graph.McpApi.Services.GetRequiredService<ISourceAccess>().UserKey(user);
    }

    private static Dictionary<string, object?> Search(string query, string[]? sources)
    {
        var arguments = new Dictionary<string, object?> { ["query"] = query };
        if (sources is not null)
        {
            arguments["sources"] = sources;
        }
        return arguments;
    }

    private static JsonElement Status(CallToolResult result, string source) =>
        result.StructuredContent!.Value.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("source").GetString() == source);

    private static List<JsonElement> Results(CallToolResult result) =>
        [.. result.StructuredContent!.Value.GetProperty("results").EnumerateArray()];

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(result.Content[0]).Text;
}

/// <summary>A provider that does not answer within connectors' deadline: connectors answers 504.</summary>
public sealed class ProviderTimeoutGraph() : ScriptedConnectorsGraph(
    [ScriptedSource.Failing("google_drive", SourceFailure.Timeout, "Google Drive did not answer within 6 s.")]);

public sealed class ProviderTimeoutTests(ProviderTimeoutGraph graph) : IClassFixture<ProviderTimeoutGraph>
{
    [Fact]
    public async Task A_provider_timeout_in_connectors_is_a_timeout_status_and_is_not_sent_again()
    {
        await using var client = await McpClientSession.ConnectAsync(graph.McpApi, "2026-07-28");
        var drive = graph.Source("google_drive");
        var before = drive.Searches;

        var result = await client.CallToolAsync("search", new Dictionary<string, object?> { ["query"] = "slow", ["sources"] = new[] { "google_drive", "files" } });

        Assert.NotEqual(true, result.IsError);
        var statuses = result.StructuredContent!.Value.GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!);
        Assert.Equal("timeout", statuses["google_drive"].GetProperty("status").GetString());
        Assert.Contains("did not answer within 6 s", statuses["google_drive"].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", statuses["files"].GetProperty("status").GetString());
        Assert.Equal(1, drive.Searches - before);
    }
}
