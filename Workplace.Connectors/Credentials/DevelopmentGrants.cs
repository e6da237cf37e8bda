using Workplace.Connectors.Credentials.OAuth;
using Workplace.Connectors.Sources;

namespace Workplace.Connectors.Credentials;

/// <summary>
/// <c>Sources:{Name}:DevelopmentGrant</c>: a user who is connected from the start, against an emulator only. The
/// AppHost sets it so that the development user finds every emulated source answering without a connect round trip.
/// </summary>
public sealed class DevelopmentGrantOptions
{
    /// <summary>The user's key as mcpapi asserts it (InternalPrincipal.UserId).</summary>
    public string? UserId { get; set; }

    /// <summary>The emulator's admin grant endpoint, e.g. {emulators}/admin/google/grants.</summary>
    public Uri? GrantUrl { get; set; }

    /// <summary>The emulated person whose grant it is: aditi, renata or priya.</summary>
    public string? EmulatorUser { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(UserId) && GrantUrl is not null && !string.IsNullOrEmpty(EmulatorUser);
}

/// <summary>At start, stores the development grant of every emulated source that has one and whose user has none yet.</summary>
public sealed partial class DevelopmentGrants(
    IEnumerable<ProviderCredentials> providers, IServiceProvider services, GrantVault vault, IHttpClientFactory clients, TimeProvider time, ILogger<DevelopmentGrants> logger)
    : BackgroundService
{
    // The emulators may start after connectors; they are up within seconds.
    private static readonly TimeSpan s_retryInterval = TimeSpan.FromSeconds(1);
    private const int Attempts = 30;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var provider in providers)
        {
            var options = services.ProviderOptions(provider.Source);
            if (!options.Emulated || !options.DevelopmentGrant.IsConfigured)
            {
                continue;
            }
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                try
                {
                    await SeedAsync(provider, options.DevelopmentGrant, stoppingToken);
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or SourceRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    if (attempt == Attempts)
                    {
                        LogSeedFailed(logger, provider.Source, e.GetType().Name);
                        break;
                    }
                    await Task.Delay(s_retryInterval, time, stoppingToken);
                }
            }
        }
    }

    private async Task SeedAsync(ProviderCredentials provider, DevelopmentGrantOptions grant, CancellationToken cancellationToken)
    {
        if (await vault.GetAsync(grant.UserId!, provider.Source, cancellationToken) is not null)
        {
            return;
        }
        using var response = await clients.CreateClient(CredentialsRegistration.OAuthHttpClient)
            .PostAsJsonAsync(grant.GrantUrl, new EmulatorGrantRequest(grant.EmulatorUser!), OAuthJsonContext.Default.EmulatorGrantRequest, cancellationToken);
        response.EnsureSuccessStatusCode();
        var tokens = await response.Content.ReadFromJsonAsync(OAuthJsonContext.Default.OAuthTokenResponse, cancellationToken);
        if (tokens is not { AccessToken.Length: > 0 })
        {
            throw new HttpRequestException("The emulator's grant answer holds no access token.");
        }
        var expiresAt = tokens.ExpiresIn is { } seconds and > 0 ? time.GetUtcNow().AddSeconds(seconds) : (DateTimeOffset?)null;
        await vault.SaveAsync(grant.UserId!, provider.Source, new ProviderGrant(tokens.AccessToken, tokens.RefreshToken, expiresAt, tokens.Scope), cancellationToken);
        LogSeeded(logger, provider.Source, grant.EmulatorUser!);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} is connected for the development user as the emulated {EmulatorUser}.")]
    private static partial void LogSeeded(ILogger logger, string source, string emulatorUser);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The development grant of {Source} could not be stored ({Failure}): the development user connects it through the connect link instead.")]
    private static partial void LogSeedFailed(ILogger logger, string source, string failure);
}
