using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Workplace.McpApi.Auth;

/// <summary>
/// Says at start which issuer is trusted, and stops a development-key server that ended up listening beyond loopback
/// (addresses set in code or by the server itself escape the configuration check in <see cref="AuthSettings"/>).
/// </summary>
internal sealed partial class AuthStartup(AuthSettings settings, IServer server, ILogger<AuthStartup> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (settings.Mode != IssuerMode.DevKey && !string.IsNullOrWhiteSpace(settings.Options.DevSigningKey))
        {
            LogDevKeyIgnored(logger);
        }
        LogIssuers(logger, settings.Mode, settings.Issuers, settings.Audiences, settings.ResourceMetadataUrl);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (settings.Mode == IssuerMode.DevKey)
        {
            var exposed = server.Features.Get<IServerAddressesFeature>()?.Addresses.Where(a => !AuthSettings.IsLoopbackAddress(a)).ToList() ?? [];
            if (exposed.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Auth:DevSigningKey is set but the server listens on {string.Join(", ", exposed)}, which is not loopback. The development key may only serve http://127.0.0.1 or http://localhost; configure a real issuer (DESCOPE_PROJECT_ID or Auth__Authority) to listen elsewhere.");
            }
        }
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Bearer tokens accepted from {Mode} issuer(s) {Issuers} for audience(s) {Audiences}; resource metadata at {ResourceMetadata}")]
    private static partial void LogIssuers(ILogger logger, IssuerMode mode, IReadOnlyList<string> issuers, IReadOnlyList<string> audiences, string resourceMetadata);

    [LoggerMessage(Level = LogLevel.Information, Message = "Auth:DevSigningKey is ignored because a real issuer is configured (DESCOPE_PROJECT_ID or Auth:Authority).")]
    private static partial void LogDevKeyIgnored(ILogger logger);
}
