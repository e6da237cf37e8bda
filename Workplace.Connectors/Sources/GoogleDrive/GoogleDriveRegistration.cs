using Workplace.Connectors.Sources;
using Workplace.Connectors.Sources.GoogleDrive;
using Workplace.Connectors.Sources.Providers;

namespace Microsoft.Extensions.Hosting;

public static class GoogleDriveRegistration
{
    /// <summary>
    /// The google_drive source, when `Sources:GoogleDrive` configures a provider (base URL and, for the connect flow,
    /// an OAuth client): the user's token source, the Drive client that sends that token, and the source.
    /// </summary>
    public static IHostApplicationBuilder AddGoogleDriveSource(this IHostApplicationBuilder builder)
    {
        if (!builder.TryAddProviderSource<GoogleDriveOptions>(GoogleDriveSource.SourceId, GoogleDriveSource.ConfigurationName, GoogleDriveSource.Title, GoogleDriveOptions.Section))
        {
            return builder;
        }
        builder.Services.AddHttpClient(DriveClient.HttpClientName, (sp, http) => http.BaseAddress = sp.ProviderOptions(GoogleDriveSource.SourceId).BaseUrl)
            .AddProviderAuthentication(GoogleDriveSource.SourceId)
            .AddProviderResilience(GoogleDriveSource.SourceId, GoogleDriveSource.ConfigurationName, GoogleDriveSource.Title);
        builder.Services.AddSingleton<DriveClient>();
        builder.Services.AddSingleton<IDocumentSource, GoogleDriveSource>();
        return builder;
    }
}
