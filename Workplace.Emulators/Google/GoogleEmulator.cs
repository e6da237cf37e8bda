using Microsoft.Extensions.DependencyInjection.Extensions;
using Workplace.Emulators.Google.Drive;
using Workplace.Emulators.Google.OAuth;
using Workplace.Emulators.Google.Workspace;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Google;

/// <summary>
/// Google Drive v3 and Google's OAuth under <c>/google</c>: <c>/google/drive/v3/…</c> for www.googleapis.com/drive/v3,
/// <c>/google/o/oauth2/v2/auth</c> for accounts.google.com, <c>/google/token</c> and <c>/google/revoke</c> for
/// oauth2.googleapis.com; admin shortcuts under <c>/admin/google</c>.
/// </summary>
public static class GoogleEmulator
{
    /// <summary>The key of Google's faults in the <see cref="Faults.FaultRegistry"/>.</summary>
    public const string Provider = "google";

    public static IHostApplicationBuilder AddGoogleEmulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GoogleEmulatorOptions>().BindConfiguration(GoogleEmulatorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<GoogleGrants>();
        builder.Services.AddSingleton<DriveDocuments>();
        builder.Services.TryAddSingleton<ContentReads>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    public static IEndpointRouteBuilder MapGoogleEmulator(this IEndpointRouteBuilder endpoints)
    {
        var google = endpoints.MapGroup("/google");
        google.MapGoogleOAuth();
        google.MapDrive();
        endpoints.MapGoogleOAuthAdmin();
        return endpoints;
    }
}
