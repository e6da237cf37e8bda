using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Workplace.Connectors.Credentials;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Sources.Providers;

/// <summary>What connecting a provider source leaves behind, without the browser: a grant from the emulator's admin endpoint, sealed in the app's own vault.</summary>
public static class ProviderGrants
{
    /// <summary>
    /// Connects <paramref name="user"/> (an emulated user) to <paramref name="source"/> in <paramref name="app"/>, stored
    /// under <paramref name="userId"/>, the id the internal assertion carries.
    /// </summary>
    /// <param name="emulators">The emulators' base address.</param>
    /// <param name="provider">The emulator's provider: google, notion or graph.</param>
    /// <param name="app">The Connectors app whose vault holds the grant.</param>
    /// <param name="user">The emulated user.</param>
    /// <param name="userId">The user's id in the internal assertion.</param>
    /// <param name="source">The source id: google_drive, notion or sharepoint.</param>
    public static async Task ConnectAsync(Uri emulators, string provider, ConnectorsApp app, string user, string userId, string source)
    {
        using var admin = new HttpClient { BaseAddress = emulators };
        using var granted = await admin.PostAsJsonAsync($"/admin/{provider}/grants", new { user });
        granted.EnsureSuccessStatusCode();
        var token = await granted.Content.ReadFromJsonAsync<JsonElement>();
        var grant = new ProviderGrant(
            token.GetProperty("access_token").GetString()!,
            token.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            DateTimeOffset.UtcNow.AddSeconds(token.GetProperty("expires_in").GetInt32()),
            token.TryGetProperty("scope", out var scope) ? scope.GetString() : null);
        await app.Services.GetRequiredService<GrantVault>().SaveAsync(userId, source, grant, CancellationToken.None);
    }
}
