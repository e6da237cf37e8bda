using System.Globalization;
using System.Security.Cryptography;
using Workplace.Emulators.Google;
using Workplace.Emulators.Google.Workspace;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Connectors;
using Workplace.Tests.Emulators;
using Workplace.Tests.Infrastructure;
using Workplace.Tests.Sources.Providers;

namespace Workplace.Tests.Sources.GoogleDrive;

/// <summary>
/// The real Connectors app with google_drive pointed at the real Google emulator, and Aditi, Renata and Priya connected
/// with grants the emulator issued, stored in the app's own GrantVault. Pages are two files long, so searches page.
/// </summary>
public sealed class GoogleDriveFixture : IAsyncLifetime
{
    public const string Source = "google_drive";
    public const int PageSize = 2;

    public static readonly string[] Users = ["aditi", "renata", "priya"];

    private readonly string _root = Directory.CreateTempSubdirectory("drive-files-root-").FullName;

    public EmulatorsHost Emulators { get; } = new();

    public string Key { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public ConnectorsApp Connectors { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Connectors = Start(Emulators, _root, Key);
        foreach (var user in Users)
        {
            await ConnectAsync(Emulators, Connectors, user);
        }
    }

    /// <summary>A Connectors app on the emulator; <paramref name="settings"/> add to or override the fixture's.</summary>
    public static ConnectorsApp Start(EmulatorsHost emulators, string root, string key, params (string Key, string? Value)[] settings) =>
        ConnectorsApp.Start(root, key, [
            ("Sources:GoogleDrive:BaseUrl", new Uri(emulators.BaseAddress, "/google/").ToString()),
            ("Sources:GoogleDrive:Emulated", "true"),
            ("Sources:GoogleDrive:OAuth:ClientId", new GoogleEmulatorOptions().ClientId),
            ("Sources:GoogleDrive:OAuth:ClientSecret", new GoogleEmulatorOptions().ClientSecret),
            // A refused token is refreshed at the emulator's token endpoint, not Google's.
            ("Sources:GoogleDrive:OAuth:TokenUrl", new Uri(emulators.BaseAddress, "/google/token").ToString()),
            ("Sources:GoogleDrive:PageSize", PageSize.ToString(CultureInfo.InvariantCulture)),
            ("Sources:GoogleDrive:MaxPages", "50"),
            // Failures are injected on purpose here: they must reach the source, not open Drive's circuit for later tests.
            ("HttpResilience:Clients:GoogleDrive:CircuitBreaker:MinimumThroughput", "1000000"),
            ("HttpResilience:Clients:GoogleDrive:Retry:Delay", "00:00:00.020"),
            .. settings]);

    /// <summary>What connecting Google Drive leaves behind: the emulator's grant for <paramref name="user"/>, sealed in the app's vault.</summary>
    public static Task ConnectAsync(EmulatorsHost emulators, ConnectorsApp connectors, string user) =>
        ProviderGrants.ConnectAsync(emulators.BaseAddress, "google", connectors, user, user, Source);

    /// <summary>An internal client asserting <paramref name="user"/> with google_drive granted.</summary>
    public HttpClient ClientFor(string user) => ClientFor(Connectors, Key, user);

    public static HttpClient ClientFor(ConnectorsApp connectors, string key, string user)
    {
        var client = new HttpClient { BaseAddress = connectors.BaseAddress };
        ConnectorsFixture.Authorize(client, new InternalAssertion(key).Create(new InternalPrincipal(user, new HashSet<string> { Source, "files" })));
        return client;
    }

    public static string IdOf(DriveFile file) => $"{Source}:{file.Id}";

    public static DriveFile File(string name) => DriveWorkspace.Sample.Files.Single(f => f.Name == name);

    /// <summary>What Drive itself says <paramref name="user"/> should find for one word: files they may see, not trashed, not folders, holding it.</summary>
    public static HashSet<string> Expected(string user, string word, DateTimeOffset? modifiedAfter = null) =>
        [.. DriveWorkspace.Sample.Files
            .Where(f => DriveWorkspace.Sample.CanSee(user, f) && !f.Trashed && f.MimeType != DriveMimeTypes.Folder && f.Text.Contains(word)
                && (modifiedAfter is null || f.Modified > modifiedAfter))
            .Select(IdOf)];

    public async Task DisposeAsync()
    {
        await Connectors.DisposeAsync();
        await Emulators.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
