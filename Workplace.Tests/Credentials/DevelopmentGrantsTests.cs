using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workplace.Connectors.Credentials;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Emulators;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Credentials;

/// <summary>Sources:{Name}:DevelopmentGrant connects a user at start, and only against an emulator.</summary>
public sealed class DevelopmentGrantsTests(EmulatorsHost emulators) : IClassFixture<EmulatorsHost>
{
    [Fact]
    public async Task The_development_user_is_connected_to_emulated_sources_only()
    {
        var root = Directory.CreateTempSubdirectory("dev-grants-").FullName;
        var emu = emulators.BaseAddress.ToString();
        try
        {
            await using var connectors = ConnectorsApp.Start(root, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                services =>
                {
                    services.AddProviderCredentials("google_drive", "GoogleDrive", "Google Drive");
                    services.AddProviderCredentials("notion", "Notion", "Notion");
                },
                ("Logging:LogLevel:Default", "Warning"),
                // Google is configured as if it were the real one: its development grant must be ignored.
                ("Sources:GoogleDrive:BaseUrl", emu + "google/"),
                ("Sources:GoogleDrive:OAuth:ClientId", "client"),
                ("Sources:GoogleDrive:DevelopmentGrant:UserId", "dev-user-key"),
                ("Sources:GoogleDrive:DevelopmentGrant:GrantUrl", emu + "admin/google/grants"),
                ("Sources:GoogleDrive:DevelopmentGrant:EmulatorUser", "aditi"),
                ("Sources:Notion:BaseUrl", emu + "notion/"),
                ("Sources:Notion:Emulated", "true"),
                ("Sources:Notion:OAuth:ClientId", "workplace-notion-client"),
                ("Sources:Notion:DevelopmentGrant:UserId", "dev-user-key"),
                ("Sources:Notion:DevelopmentGrant:GrantUrl", emu + "admin/notion/grants"),
                ("Sources:Notion:DevelopmentGrant:EmulatorUser", "aditi"));
            var devUser = new InternalPrincipal("dev-user-key", new HashSet<string> { "google_drive", "notion" });
            var notion = connectors.Services.GetRequiredKeyedService<ITokenSource>("notion");

            await Poll.UntilAsync(async () => await notion.IsConnectedAsync(devUser, default), TimeSpan.FromSeconds(20), "the development grant of Notion");

            var token = await notion.GetAccessTokenAsync(devUser, default);
            using var http = new HttpClient { BaseAddress = emulators.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/notion/v1/users/me");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Notion-Version", "2025-09-03");
            using var me = await http.SendAsync(request);
            Assert.True(me.IsSuccessStatusCode, await me.Content.ReadAsStringAsync());
            // Sources are seeded in order, so Google (not emulated) was passed over before Notion was stored.
            Assert.False(await connectors.Services.GetRequiredKeyedService<ITokenSource>("google_drive").IsConnectedAsync(devUser, default));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
