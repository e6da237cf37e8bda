using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Emulators;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Credentials;

/// <summary>Tokens from Descope Outbound Apps: the real Connectors app against the Descope emulator, whose tokens are the Drive emulator's.</summary>
public sealed class DescopeTokenSourceTests(EmulatorsHost emulators) : IClassFixture<EmulatorsHost>, IAsyncLifetime
{
    private const string Source = "google_drive";
    private const string ManagementKey = "K2workplace-emulated-management-key";

    private readonly EmulatorsHost _emulators = emulators;
    private readonly string _root = Directory.CreateTempSubdirectory("descope-files-").FullName;
    private readonly string _key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private ConnectorsApp _connectors = null!;

    public Task InitializeAsync()
    {
        _connectors = Start(ManagementKey);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_user_who_connected_the_outbound_app_gets_their_provider_token()
    {
        var aditi = Principal("aditi.raman@halcyon-robotics.example");
        Assert.False(await Tokens.IsConnectedAsync(aditi, default));
        var missing = await Assert.ThrowsAsync<SourceRequestException>(() => Tokens.GetAccessTokenAsync(aditi, default).AsTask());
        Assert.Equal(SourceFailure.NotConnected, missing.Failure);
        Assert.Contains("not connected for you in Descope", missing.Message, StringComparison.Ordinal);

        await ConnectAsync("aditi", "google-drive");

        Assert.True(await Tokens.IsConnectedAsync(aditi, default));
        var token = await Tokens.GetAccessTokenAsync(aditi, default);
        using var session = await Emulators.Google.GoogleSession.SignInAsync(_emulators, "aditi");
        Assert.Equal(await DriveFilesAsync(session.AccessToken), await DriveFilesAsync(token));
        using var http = Internal(aditi);
        var list = await http.GetFromJsonAsync(ConnectorRoutes.Connections, ConnectorJsonContext.Default.ConnectionList);
        Assert.Equal(new ConnectionState(Source, true, "descope"), Assert.Single(list!.Connections));
    }

    [Fact]
    public async Task A_refused_token_is_renewed_through_Descope_once()
    {
        var renata = Principal("renata.vashti@halcyon-robotics.example");
        await ConnectAsync("renata", "google-drive");
        var first = await Tokens.GetAccessTokenAsync(renata, default);
        var before = await TokenRequestsAsync();

        var renewed = await Tokens.RefreshAsync(renata, first, default);
        Assert.NotEqual(first, renewed);
        Assert.Equal(renewed, await Tokens.RefreshAsync(renata, first, default));
        Assert.Equal(renewed, await Tokens.GetAccessTokenAsync(renata, default));
        Assert.Equal(1, await TokenRequestsAsync() - before);
    }

    [Fact]
    public async Task The_connect_flow_is_refused_for_a_descope_source()
    {
        using var http = Internal(Principal("priya.castellanos@halcyon-robotics.example"));
        using var response = await http.PostAsync(ConnectorRoutes.Authorize(Source), JsonContent.Create(
            new AuthorizeRequest("http://127.0.0.1/cb", "s", "c", null), ConnectorJsonContext.Default.AuthorizeRequest));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("gets your tokens from descope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_an_email_or_a_wrong_management_key_is_a_clear_failure()
    {
        var noEmail = await Assert.ThrowsAsync<SourceRequestException>(() => Tokens.GetAccessTokenAsync(new InternalPrincipal("no-email", new HashSet<string> { Source }), default).AsTask());
        Assert.Equal(SourceFailure.NotConnected, noEmail.Failure);
        Assert.Contains("knows you by your email", noEmail.Message, StringComparison.Ordinal);

        await using var misconfigured = Start("K2not-the-key");
        var tokens = misconfigured.Services.GetRequiredKeyedService<ITokenSource>(Source);
        var refused = await Assert.ThrowsAsync<SourceRequestException>(() => tokens.GetAccessTokenAsync(Principal("aditi.raman@halcyon-robotics.example"), default).AsTask());
        Assert.Equal(SourceFailure.ProviderFailure, refused.Failure);
        Assert.Contains("refused this service's management key", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("K2not-the-key", refused.Message, StringComparison.Ordinal);
    }

    private ITokenSource Tokens => _connectors.Services.GetRequiredKeyedService<ITokenSource>(Source);

    private ConnectorsApp Start(string managementKey) =>
        ConnectorsApp.Start(_root, _key, services => services.AddProviderCredentials(Source, "GoogleDrive", "Google Drive"),
            ("Logging:LogLevel:Default", "Warning"),
            ("Sources:GoogleDrive:BaseUrl", new Uri(_emulators.BaseAddress, "google/").ToString()),
            ("Sources:GoogleDrive:TokenSource", "descope"),
            ("Sources:GoogleDrive:Descope:BaseUrl", new Uri(_emulators.BaseAddress, "descope/").ToString()),
            ("Sources:GoogleDrive:Descope:ProjectId", "P2workplaceEmulated"),
            ("Sources:GoogleDrive:Descope:ManagementKey", managementKey),
            ("Sources:GoogleDrive:Descope:AppId", "google-drive"));

    private static InternalPrincipal Principal(string email) => new("descope-" + email, new HashSet<string> { Source }, email);

    private HttpClient Internal(InternalPrincipal principal)
    {
        var http = new HttpClient { BaseAddress = _connectors.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", new InternalAssertion(_key).Create(principal));
        return http;
    }

    private async Task ConnectAsync(string user, string appId)
    {
        using var admin = new HttpClient { BaseAddress = _emulators.BaseAddress };
        (await admin.PostAsync("/admin/descope/connections", JsonContent.Create(new { user, appId }))).EnsureSuccessStatusCode();
    }

    private async Task<int> TokenRequestsAsync()
    {
        using var admin = new HttpClient { BaseAddress = _emulators.BaseAddress };
        using var stats = JsonDocument.Parse(await admin.GetStringAsync("/admin/descope/stats"));
        return stats.RootElement.GetProperty("tokenRequests").GetInt32();
    }

    private async Task<List<string>> DriveFilesAsync(string accessToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_emulators.BaseAddress, "/google/drive/v3/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        using var document = JsonDocument.Parse(await http.GetStringAsync(
            "files?corpora=allDrives&includeItemsFromAllDrives=true&supportsAllDrives=true&pageSize=1000&q=trashed%20%3D%20false&fields=files(id)"));
        return [.. document.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
    }

    public async Task DisposeAsync()
    {
        await _connectors.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
