using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.ServiceDefaults.DataProtection;
using Workplace.Tests.Connect;

namespace Workplace.Tests.Credentials;

/// <summary>
/// The connect flow's token source against the emulators' token endpoints, with grants in a real Redis: refresh ahead of
/// expiry once under concurrency (in one process and across replicas), rotation, revocation, restarts.
/// </summary>
public sealed class TokenRefreshTests(ConnectGraph graph) : IClassFixture<ConnectGraph>
{
    private static readonly DateTimeOffset s_expired = DateTimeOffset.UtcNow.AddMinutes(-5);

    [Theory]
    [InlineData(ConnectGraph.GoogleDrive, "google")]
    [InlineData(ConnectGraph.Notion, "notion")]
    [InlineData(ConnectGraph.SharePoint, "graph")]
    public async Task An_expired_token_is_refreshed_once_under_20_concurrent_calls(string source, string provider)
    {
        var principal = await ConnectedAsync("concurrent-" + source, ConnectGraph.Aditi, source, provider, s_expired);
        var stale = (await Vault.GetAsync(principal.UserId, source, default))!.AccessToken;
        var before = await graph.RefreshCountAsync(provider);

        var tokens = Tokens(source);
        var calls = Enumerable.Range(0, 20).Select(i => i % 2 == 0
            ? tokens.GetAccessTokenAsync(principal, default).AsTask()
            : tokens.RefreshAsync(principal, stale, default).AsTask());
        var results = await Task.WhenAll(calls);

        Assert.Equal(1, await graph.RefreshCountAsync(provider) - before);
        var fresh = Assert.Single(results.Distinct());
        Assert.NotEqual(stale, fresh);
        var stored = await Vault.GetAsync(principal.UserId, source, default);
        Assert.Equal(fresh, stored!.AccessToken);
        Assert.True(stored.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(30));
    }

    [Fact]
    public async Task Replicas_on_one_Redis_refresh_a_grant_once()
    {
        var principal = await ConnectedAsync("replicas", ConnectGraph.Aditi, ConnectGraph.GoogleDrive, "google", s_expired);
        await using var replica = graph.StartConnectors();
        var before = await graph.RefreshCountAsync("google");

        var here = Tokens(ConnectGraph.GoogleDrive);
        var there = replica.Services.GetRequiredKeyedService<ITokenSource>(ConnectGraph.GoogleDrive);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? here : there).GetAccessTokenAsync(principal, default).AsTask()));

        Assert.Equal(1, await graph.RefreshCountAsync("google") - before);
        Assert.Single(results.Distinct());
    }

    [Fact]
    public async Task A_token_another_caller_already_replaced_is_returned_without_calling_the_provider()
    {
        var principal = await ConnectedAsync("replaced", ConnectGraph.Aditi, ConnectGraph.GoogleDrive, "google", DateTimeOffset.UtcNow.AddHours(1));
        var current = (await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default))!.AccessToken;
        var before = await graph.RefreshCountAsync("google");

        Assert.Equal(current, await Tokens(ConnectGraph.GoogleDrive).RefreshAsync(principal, "ya29.an-older-token", default));
        Assert.Equal(before, await graph.RefreshCountAsync("google"));
    }

    [Fact]
    public async Task A_token_the_provider_refused_is_refreshed_even_before_its_expiry()
    {
        var principal = await ConnectedAsync("refused", ConnectGraph.Aditi, ConnectGraph.GoogleDrive, "google", DateTimeOffset.UtcNow.AddHours(1));
        var current = (await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default))!.AccessToken;

        var fresh = await Tokens(ConnectGraph.GoogleDrive).RefreshAsync(principal, current, default);

        Assert.NotEqual(current, fresh);
        Assert.Equal(fresh, (await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default))!.AccessToken);
    }

    [Theory]
    [InlineData(ConnectGraph.Notion, "notion")]
    [InlineData(ConnectGraph.SharePoint, "graph")]
    public async Task A_rotated_refresh_token_is_stored(string source, string provider)
    {
        var principal = await ConnectedAsync("rotation-" + source, ConnectGraph.Aditi, source, provider, s_expired);
        var first = (await Vault.GetAsync(principal.UserId, source, default))!;

        await Tokens(source).GetAccessTokenAsync(principal, default);
        var second = (await Vault.GetAsync(principal.UserId, source, default))!;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);

        // The stored refresh token is the one that works next: a second renewal succeeds.
        var renewed = await Tokens(source).RefreshAsync(principal, second.AccessToken, default);
        Assert.NotEqual(second.AccessToken, renewed);
    }

    [Fact]
    public async Task Google_keeps_its_refresh_token_across_refreshes()
    {
        var principal = await ConnectedAsync("google-keeps", ConnectGraph.Aditi, ConnectGraph.GoogleDrive, "google", s_expired);
        var first = (await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default))!;

        await Tokens(ConnectGraph.GoogleDrive).GetAccessTokenAsync(principal, default);

        Assert.Equal(first.RefreshToken, (await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default))!.RefreshToken);
    }

    [Theory]
    [InlineData(ConnectGraph.GoogleDrive, "google", "Google Drive")]
    [InlineData(ConnectGraph.Notion, "notion", "Notion")]
    [InlineData(ConnectGraph.SharePoint, "graph", "SharePoint and OneDrive")]
    public async Task A_revoked_grant_reads_not_connected(string source, string provider, string title)
    {
        var principal = await ConnectedAsync("revoked-" + source, ConnectGraph.Renata, source, provider, s_expired);
        using var admin = new HttpClient { BaseAddress = graph.Emulators.BaseAddress };
        (await admin.PostAsync($"/admin/faults/{provider}", JsonContent.Create(new { kind = "RevokedGrant", user = ConnectGraph.Renata.Id }))).EnsureSuccessStatusCode();
        try
        {
            var refused = await Assert.ThrowsAsync<SourceRequestException>(() => Tokens(source).GetAccessTokenAsync(principal, default).AsTask());
            Assert.Equal(SourceFailure.NotConnected, refused.Failure);
            Assert.StartsWith($"{title} was disconnected or access was revoked; connect again", refused.Message, StringComparison.Ordinal);
            Assert.Null(await Vault.GetAsync(principal.UserId, source, default));
            Assert.False((await graph.ConnectionAsync(principal, source)).Connected);
        }
        finally
        {
            (await admin.DeleteAsync($"/admin/faults/{provider}")).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task A_grant_revoked_at_Google_reads_not_connected()
    {
        var principal = await ConnectedAsync("revoked-at-google", ConnectGraph.Aditi, ConnectGraph.GoogleDrive, "google", s_expired);
        var grant = (await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default))!;
        using var admin = new HttpClient { BaseAddress = graph.Emulators.BaseAddress };
        (await admin.PostAsync("/google/revoke", new FormUrlEncodedContent([new("token", grant.RefreshToken!)]))).EnsureSuccessStatusCode();

        var refused = await Assert.ThrowsAsync<SourceRequestException>(() => Tokens(ConnectGraph.GoogleDrive).GetAccessTokenAsync(principal, default).AsTask());
        Assert.Equal(SourceFailure.NotConnected, refused.Failure);
        Assert.Null(await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default));
    }

    [Fact]
    public async Task Disconnecting_revokes_at_the_provider_and_forgets_the_grant()
    {
        var principal = await ConnectedAsync("disconnect", ConnectGraph.Aditi, ConnectGraph.GoogleDrive, "google", DateTimeOffset.UtcNow.AddHours(1));
        var grant = (await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default))!;

        using var http = graph.Internal(principal);
        using var deleted = await http.DeleteAsync(ConnectorRoutes.Connection(ConnectGraph.GoogleDrive));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        Assert.False((await graph.ConnectionAsync(principal, ConnectGraph.GoogleDrive)).Connected);
        using var google = new HttpClient { BaseAddress = graph.Emulators.BaseAddress };
        using var refresh = await google.PostAsync("/google/token", new FormUrlEncodedContent([
            new("grant_type", "refresh_token"), new("refresh_token", grant.RefreshToken!),
            new("client_id", "workplace-emulated.apps.googleusercontent.com"), new("client_secret", "emulated-google-client-secret")]));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Contains("invalid_grant", await refresh.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grants_survive_a_restart_with_the_key_ring_in_Redis()
    {
        var principal = await ConnectedAsync("restart", ConnectGraph.Aditi, ConnectGraph.GoogleDrive, "google", DateTimeOffset.UtcNow.AddHours(1));
        var before = (await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default))!;

        await graph.RestartConnectorsAsync();

        Assert.Equal(before, await Vault.GetAsync(principal.UserId, ConnectGraph.GoogleDrive, default));
        Assert.True((await graph.ConnectionAsync(principal, ConnectGraph.GoogleDrive)).Connected);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(graph.Redis.ConnectionString);
        Assert.True(await redis.GetDatabase().ListLengthAsync(KeyRingExtensions.RedisKey) > 0, "the key ring is in Redis");
        var stored = await redis.GetDatabase().StringGetAsync($"{GrantVault.KeyPrefix}{ConnectGraph.GoogleDrive}:{principal.UserId}");
        Assert.False(stored.IsNull);
        Assert.DoesNotContain(before.RefreshToken!, stored.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grant_under_another_users_key_is_not_used()
    {
        var aditi = await ConnectedAsync("sealed-a", ConnectGraph.Aditi, ConnectGraph.GoogleDrive, "google", DateTimeOffset.UtcNow.AddHours(1));
        var mallory = graph.Principal(ConnectGraph.User("sealed-m", "mallory@example.com"), ConnectGraph.GoogleDrive);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(graph.Redis.ConnectionString);
        var db = redis.GetDatabase();
        var sealedGrant = await db.StringGetAsync($"{GrantVault.KeyPrefix}{ConnectGraph.GoogleDrive}:{aditi.UserId}");
        await db.StringSetAsync($"{GrantVault.KeyPrefix}{ConnectGraph.GoogleDrive}:{mallory.UserId}", sealedGrant);

        // Sealed under Aditi's purpose: under Mallory's key it does not open, so Mallory is not connected.
        var refused = await Assert.ThrowsAsync<SourceRequestException>(() => Tokens(ConnectGraph.GoogleDrive).GetAccessTokenAsync(mallory, default).AsTask());
        Assert.Equal(SourceFailure.NotConnected, refused.Failure);
        Assert.False((await graph.ConnectionAsync(mallory, ConnectGraph.GoogleDrive)).Connected);
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.BadRequest, "redirect_uri")]
    [InlineData("not json", HttpStatusCode.BadRequest, "redirect_uri")]
    [InlineData("{\"redirect_uri\":\"javascript:alert(1)\",\"state\":\"s\",\"code_challenge\":\"c\"}", HttpStatusCode.BadRequest, "redirect_uri")]
    [InlineData("{\"redirect_uri\":\"http://127.0.0.1/cb\",\"state\":\"LONG\",\"code_challenge\":\"c\"}", HttpStatusCode.BadRequest, "redirect_uri")]
    public async Task Authorize_refuses_bad_input(string body, HttpStatusCode status, string detail)
    {
        var principal = graph.Principal(ConnectGraph.User("bad-authorize", ConnectGraph.Aditi.Email), ConnectGraph.GoogleDrive);
        using var http = graph.Internal(principal);
        // LONG: a body over the 16 KiB limit.
        using var response = await http.PostAsync(ConnectorRoutes.Authorize(ConnectGraph.GoogleDrive),
            new StringContent(body.Replace("LONG", new string('s', 20_000), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(detail, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connections_api_refuses_unknown_and_ungranted_sources_and_refused_codes()
    {
        var user = ConnectGraph.User("api-refusals", ConnectGraph.Aditi.Email);
        using (var http = graph.Internal(graph.Principal(user, ConnectGraph.GoogleDrive)))
        {
            using var unknown = await http.PostAsync(ConnectorRoutes.Authorize("dropbox"), JsonContent.Create(new { }));
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            using var ungranted = await http.DeleteAsync(ConnectorRoutes.Connection(ConnectGraph.Notion));
            Assert.Equal(HttpStatusCode.Forbidden, ungranted.StatusCode);
            using var refused = await http.PostAsync(ConnectorRoutes.Grant(ConnectGraph.GoogleDrive), JsonContent.Create(
                new GrantRequest("4/0Anever-issued", new string('v', 43), "http://127.0.0.1/connect/google_drive/callback"), ConnectorJsonContext.Default.GrantRequest));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Google Drive refused the authorization code (invalid_grant)", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using var anonymous = new HttpClient { BaseAddress = graph.Connectors.BaseAddress };
        using var unauthenticated = await anonymous.GetAsync(ConnectorRoutes.Connections);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task Authorize_builds_each_providers_consent_url()
    {
        var principal = graph.Principal(ConnectGraph.User("consent-urls", ConnectGraph.Aditi.Email), ConnectGraph.GoogleDrive, ConnectGraph.Notion, ConnectGraph.SharePoint);
        using var http = graph.Internal(principal);
        async Task<Dictionary<string, string>> ConsentAsync(string source)
        {
            using var response = await http.PostAsync(ConnectorRoutes.Authorize(source), JsonContent.Create(
                new AuthorizeRequest("http://127.0.0.1/connect/cb", "state-1", "challenge-1", null), ConnectorJsonContext.Default.AuthorizeRequest));
            var consent = (await response.Content.ReadFromJsonAsync(ConnectorJsonContext.Default.AuthorizeResponse))!;
            return Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(consent.AuthorizationUrl).Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        }

        var google = await ConsentAsync(ConnectGraph.GoogleDrive);
        Assert.Equal(("offline", "consent", "S256", "challenge-1", "state-1", ConnectGraph.Aditi.Email),
            (google["access_type"], google["prompt"], google["code_challenge_method"], google["code_challenge"], google["state"], google["login_hint"]));
        Assert.Equal("https://www.googleapis.com/auth/drive.readonly", google["scope"]);
        Assert.Equal("user", (await ConsentAsync(ConnectGraph.Notion))["owner"]);
        var microsoft = await ConsentAsync(ConnectGraph.SharePoint);
        Assert.Equal("query", microsoft["response_mode"]);
        Assert.Contains("offline_access", microsoft["scope"], StringComparison.Ordinal);
    }

    private GrantVault Vault => graph.Connectors.Services.GetRequiredService<GrantVault>();

    private ITokenSource Tokens(string source) => graph.Connectors.Services.GetRequiredKeyedService<ITokenSource>(source);

    private async Task<InternalPrincipal> ConnectedAsync(string subject, (string Id, string Email) person, string source, string provider, DateTimeOffset expiresAt)
    {
        var principal = graph.Principal(ConnectGraph.User(subject, person.Email), source);
        await Vault.SaveAsync(principal.UserId, source, await graph.GrantAsync(provider, person.Id, expiresAt), default);
        return principal;
    }
}
