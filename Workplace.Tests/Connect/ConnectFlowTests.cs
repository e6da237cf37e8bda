using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Connectors.Credentials;
using Workplace.McpApi.Connect;

namespace Workplace.Tests.Connect;

/// <summary>
/// The connect flow end to end: a browser (cookies, redirects) opens mcpapi's connect link, the emulated provider signs
/// the user in and sends the code back, connectors redeems it and stores the grant for the ticket's user.
/// </summary>
public sealed class ConnectFlowTests(ConnectGraph graph) : IClassFixture<ConnectGraph>
{
    [Theory]
    [InlineData(ConnectGraph.GoogleDrive, "Google Drive")]
    // Notion's round trip waits on its emulator: its authorize endpoint takes a user id as login_hint, not an email.
    [InlineData(ConnectGraph.SharePoint, "SharePoint and OneDrive")]
    public async Task The_flow_round_trips_and_stores_the_grant_for_the_ticket_user(string source, string title)
    {
        var user = ConnectGraph.User("round-trip-" + source, ConnectGraph.Aditi.Email);
        var principal = graph.Principal(user, source);
        Assert.False((await graph.ConnectionAsync(principal, source)).Connected);

        using var browser = ConnectGraph.Browser(followRedirects: false);
        using var start = await browser.GetAsync(graph.ConnectLink(user, source));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var consent = start.Headers.Location!;
        var query = QueryHelpers.ParseQuery(consent.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        Assert.Equal(43, query["state"].ToString().Length);
        Assert.Equal(ConnectGraph.Aditi.Email, query["login_hint"]);
        Assert.EndsWith($"/connect/{source}/callback", query["redirect_uri"].ToString(), StringComparison.Ordinal);
        var cookie = Assert.Single(start.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var (status, page) = await FinishAsync(browser, consent);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"{title} is connected. Return to your agent and ask again.", page, StringComparison.Ordinal);

        var connection = await graph.ConnectionAsync(principal, source);
        Assert.True(connection.Connected);
        Assert.Equal("connect", connection.TokenSource);
        var vault = graph.Connectors.Services.GetRequiredService<GrantVault>();
        var grant = await vault.GetAsync(principal.UserId, source, default);
        Assert.NotNull(grant?.RefreshToken);
        Assert.True(grant.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(30));
    }

    [Fact]
    public async Task Each_user_gets_only_their_own_grant()
    {
        var aditi = ConnectGraph.User("two-users-a", ConnectGraph.Aditi.Email);
        var renata = ConnectGraph.User("two-users-r", ConnectGraph.Renata.Email);
        foreach (var user in new[] { aditi, renata })
        {
            using var browser = ConnectGraph.Browser();
            using var response = await browser.GetAsync(graph.ConnectLink(user, ConnectGraph.GoogleDrive));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var tokens = graph.Connectors.Services.GetRequiredKeyedService<ITokenSource>(ConnectGraph.GoogleDrive);
        var aditiFiles = await DriveFilesAsync(await tokens.GetAccessTokenAsync(graph.Principal(aditi, ConnectGraph.GoogleDrive), default));
        var renataFiles = await DriveFilesAsync(await tokens.GetAccessTokenAsync(graph.Principal(renata, ConnectGraph.GoogleDrive), default));

        // Each token sees exactly what that person sees in the emulated Drive, and the two differ.
        using var aditiSession = await Emulators.Google.GoogleSession.SignInAsync(graph.Emulators, ConnectGraph.Aditi.Id);
        using var renataSession = await Emulators.Google.GoogleSession.SignInAsync(graph.Emulators, ConnectGraph.Renata.Id);
        Assert.Equal(await DriveFilesAsync(aditiSession.AccessToken), aditiFiles);
        Assert.Equal(await DriveFilesAsync(renataSession.AccessToken), renataFiles);
        Assert.NotEqual(aditiFiles, renataFiles);

        // A third user who never connected is not connected, whoever else is.
        var priya = ConnectGraph.User("two-users-p", "priya.castellanos@halcyon-robotics.example");
        Assert.False((await graph.ConnectionAsync(graph.Principal(priya, ConnectGraph.GoogleDrive), ConnectGraph.GoogleDrive)).Connected);
    }

    [Fact]
    public async Task A_forged_state_is_refused()
    {
        using var browser = ConnectGraph.Browser();
        using var response = await browser.GetAsync(new Uri(graph.McpApi.BaseAddress, "/connect/google_drive/callback?code=4/0Aforged&state=" + new string('A', 43)));
        await AssertRefusedAsync(response, "expired, was already completed, or did not start here");
    }

    [Fact]
    public async Task A_replayed_state_is_refused()
    {
        var user = ConnectGraph.User("replay", ConnectGraph.Aditi.Email);
        using var browser = ConnectGraph.Browser(followRedirects: false);
        using var start = await browser.GetAsync(graph.ConnectLink(user, ConnectGraph.GoogleDrive));
        var callback = await ConsentAsync(start.Headers.Location!);
        using (var first = await browser.GetAsync(callback))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using var replay = await browser.GetAsync(callback);
        await AssertRefusedAsync(replay, "expired, was already completed, or did not start here");
    }

    [Fact]
    public async Task A_code_is_not_accepted_twice()
    {
        var user = ConnectGraph.User("code-twice", ConnectGraph.Aditi.Email);
        using var browser = ConnectGraph.Browser(followRedirects: false);
        using var first = await browser.GetAsync(graph.ConnectLink(user, ConnectGraph.GoogleDrive));
        var firstCallback = await ConsentAsync(first.Headers.Location!);
        using (var done = await browser.GetAsync(firstCallback))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        // A second flow of the same browser, completed with the first flow's code: the provider refuses it.
        using var second = await browser.GetAsync(graph.ConnectLink(user, ConnectGraph.GoogleDrive));
        var secondState = QueryHelpers.ParseQuery(second.Headers.Location!.Query)["state"].ToString();
        var firstCode = QueryHelpers.ParseQuery(firstCallback.Query)["code"].ToString();
        using var reused = await browser.GetAsync(new Uri(graph.McpApi.BaseAddress,
            $"/connect/google_drive/callback?code={Uri.EscapeDataString(firstCode)}&state={secondState}"));
        await AssertRefusedAsync(reused, "refused the authorization code (invalid_grant)");
    }

    [Fact]
    public async Task An_expired_ticket_is_refused()
    {
        var protector = graph.McpApi.Services.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("Workplace.ConnectTicket.v1").ToTimeLimitedDataProtector();
        var json = JsonSerializer.Serialize(new ConnectTicket("someone", ConnectGraph.Aditi.Email, ConnectGraph.GoogleDrive));
        var expired = protector.Protect(json, DateTimeOffset.UtcNow.AddMinutes(-1));
        using var browser = ConnectGraph.Browser();
        using var response = await browser.GetAsync(new Uri(graph.McpApi.BaseAddress, $"/connect/google_drive?ticket={Uri.EscapeDataString(expired)}"));
        await AssertRefusedAsync(response, "has expired (links last 10 minutes)");
    }

    [Theory]
    [InlineData("another-source")]
    [InlineData("forged")]
    [InlineData("missing")]
    public async Task A_ticket_that_is_not_for_this_source_is_refused(string kind)
    {
        var user = ConnectGraph.User("ticket-" + kind, ConnectGraph.Aditi.Email);
        var ticket = kind switch
        {
            "another-source" => QueryHelpers.ParseQuery(graph.ConnectLink(user, ConnectGraph.Notion).Query)["ticket"].ToString(),
            "forged" => "CfDJ8forged",
            _ => "",
        };
        using var browser = ConnectGraph.Browser();
        using var response = await browser.GetAsync(new Uri(graph.McpApi.BaseAddress, $"/connect/google_drive?ticket={Uri.EscapeDataString(ticket)}"));
        await AssertRefusedAsync(response, "Ask your agent again for a new link");
    }

    [Fact]
    public async Task A_callback_in_another_browser_is_refused()
    {
        var user = ConnectGraph.User("other-browser", ConnectGraph.Aditi.Email);
        using var browser = ConnectGraph.Browser(followRedirects: false);
        using var start = await browser.GetAsync(graph.ConnectLink(user, ConnectGraph.GoogleDrive));
        var callback = await ConsentAsync(start.Headers.Location!);

        using var other = ConnectGraph.Browser();
        using var response = await other.GetAsync(callback);
        await AssertRefusedAsync(response, "started in another browser");
        Assert.False((await graph.ConnectionAsync(graph.Principal(user, ConnectGraph.GoogleDrive), ConnectGraph.GoogleDrive)).Connected);
    }

    [Fact]
    public async Task A_state_for_another_source_is_refused()
    {
        var user = ConnectGraph.User("state-source", ConnectGraph.Aditi.Email);
        using var browser = ConnectGraph.Browser(followRedirects: false);
        using var start = await browser.GetAsync(graph.ConnectLink(user, ConnectGraph.GoogleDrive));
        var state = QueryHelpers.ParseQuery(start.Headers.Location!.Query)["state"].ToString();
        using var response = await browser.GetAsync(new Uri(graph.McpApi.BaseAddress, $"/connect/notion/callback?code=x&state={state}"));
        // The cookie is per source, so the Notion callback finds none for this Google Drive flow.
        await AssertRefusedAsync(response, "another browser");
    }

    [Fact]
    public async Task A_denied_consent_says_so()
    {
        var user = ConnectGraph.User("denied", ConnectGraph.Aditi.Email);
        using var browser = ConnectGraph.Browser(followRedirects: false);
        using var start = await browser.GetAsync(graph.ConnectLink(user, ConnectGraph.GoogleDrive));
        var state = QueryHelpers.ParseQuery(start.Headers.Location!.Query)["state"].ToString();
        using var response = await browser.GetAsync(new Uri(graph.McpApi.BaseAddress, $"/connect/google_drive/callback?error=access_denied&state={state}"));
        await AssertRefusedAsync(response, "You did not allow Workplace to read your Google Drive");
    }

    [Fact]
    public async Task An_unknown_source_is_a_page_not_a_stack_trace()
    {
        using var browser = ConnectGraph.Browser();
        using var response = await browser.GetAsync(new Uri(graph.McpApi.BaseAddress, "/connect/dropbox?ticket=x"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(System.Net.WebUtility.HtmlEncode("There is no source 'dropbox'"), await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Follows the consent URL at the emulator (which signs in the hinted user at once) to the callback URL.</summary>
    private static async Task<Uri> ConsentAsync(Uri consent)
    {
        using var provider = ConnectGraph.Browser(followRedirects: false);
        using var response = await provider.GetAsync(consent);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    private static async Task<(HttpStatusCode, string)> FinishAsync(HttpClient browser, Uri consent)
    {
        using var response = await browser.GetAsync(await ConsentAsync(consent));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string expected)
    {
        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(expected), page, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
    }

    private async Task<List<string>> DriveFilesAsync(string accessToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(graph.Emulators.BaseAddress, "/google/drive/v3/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using var document = JsonDocument.Parse(await http.GetStringAsync(
            "files?corpora=allDrives&includeItemsFromAllDrives=true&supportsAllDrives=true&pageSize=1000&q=trashed%20%3D%20false&fields=files(id)"));
        return [.. document.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
    }
}
