using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Workplace.McpApi.Auth;

/// <summary>Configures JwtBearer from <see cref="AuthSettings"/> and answers its challenges the way the MCP spec asks.</summary>
internal sealed partial class JwtBearerSetup(AuthSettings settings, BearerChallenge challenge, AuthMetrics metrics, ILogger<JwtBearerSetup> logger)
    : IConfigureNamedOptions<JwtBearerOptions>, IDisposable
{
    // Lives as long as the app (the ConfigurationManager keeps it); pooled connections are recycled so DNS changes apply.
    private readonly HttpClient _metadataClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(10),
        MaxResponseContentBufferSize = 1024 * 1024,
    };

    // Asymmetric only: with a symmetric algorithm allowed, a token "signed" with the issuer's public key bytes
    // as an HMAC secret would verify (the classic algorithm-confusion attack). "none" is refused by RequireSignedTokens.
    private static readonly string[] s_asymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private static readonly AuthFailure s_issuerUnavailable = new("issuer_unavailable",
        "This server could not load the issuer's signing keys. Retry shortly; if it persists, the issuer is unreachable from this server.");

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }
        // Claims keep their JWT names (sub, scope, scp), not WS-Federation URIs.
        options.MapInboundClaims = false;
        ValidatedTokenCache.Install(options.TokenHandlers);
        options.SaveToken = false;
        options.IncludeErrorDetails = false;
        options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        options.RefreshOnIssuerKeyNotFound = true;
        if (settings.MetadataAddress is { } metadata)
        {
            options.MetadataAddress = metadata;
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                metadata, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever(_metadataClient) { RequireHttps = settings.RequireHttpsMetadata })
            {
                // An unknown kid asks for fresh keys; a refetch happens at most once per RefreshInterval, which is the
                // rate limit that stops forged kids from hammering the issuer.
                RefreshInterval = settings.Options.KeyRefreshInterval,
                AutomaticRefreshInterval = settings.Options.MetadataRefreshInterval,
                // The issuer's current JWKS is the truth: a key it no longer publishes (rotated out, perhaps because it
                // leaked) must stop verifying at once, not live on for an hour as IdentityModel's last-known-good.
                UseLastKnownGoodConfiguration = false,
            };
        }
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuers = settings.Issuers,
            ValidAudiences = settings.Audiences,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidAlgorithms = s_asymmetricAlgorithms,
            ClockSkew = settings.Options.ClockSkew,
            NameClaimType = "sub",
            RoleClaimType = "roles",
            IssuerSigningKey = settings.DevSigningKey,
        };
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                // Per-user caches and limits hang off sub: a token without one cannot be served safely.
                if (string.IsNullOrEmpty(context.Principal?.FindFirst("sub")?.Value))
                {
                    context.Fail(new MissingSubjectException());
                }
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var failure = context.AuthenticateFailure is { } error ? Classify(error) : null;
                if (failure?.Reason == "unknown_key" && !await HasSigningKeysAsync(context.Options, context.HttpContext.RequestAborted))
                {
                    // IdentityModel reports a failed metadata fetch as "no key matches"; it is the issuer that is missing.
                    failure = s_issuerUnavailable;
                }
                metrics.Failed(failure?.Reason ?? "missing_token");
                if (failure is not null)
                {
                    var errorType = Innermost(context.AuthenticateFailure!).GetType().Name;
                    LogTokenRefused(logger, failure.Reason, errorType, context.Request.Method, context.Request.Path);
                }
                if (failure?.Reason == "issuer_unavailable")
                {
                    // The token may be fine: a 401 would send the client to sign in again for nothing.
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "10";
                    await context.Response.WriteAsJsonAsync(
                        new BearerErrorBody("temporarily_unavailable", failure.Description, settings.ResourceMetadataUrl), context.HttpContext.RequestAborted);
                    return;
                }
                await challenge.Unauthorized(failure).ExecuteAsync(context.HttpContext);
            },
        };
    }

    private AuthFailure Classify(Exception error) => Innermost(error) switch
    {
        SecurityTokenExpiredException => new("expired", "The access token has expired. Get a new one from the authorization server (refresh, or sign in again)."),
        SecurityTokenNotYetValidException => new("not_yet_valid", "The access token is not valid yet (its nbf is in the future). Check the clocks of the issuer and of this server."),
        SecurityTokenNoExpirationException => new("no_expiration", "The access token has no expiry (exp). This server accepts only tokens that expire."),
        SecurityTokenInvalidAudienceException => new("audience", $"The access token was not issued for this server. Request it with resource={settings.Resource} so that its audience is {settings.Audiences[0]}."),
        SecurityTokenInvalidIssuerException => new("issuer", "The access token comes from an issuer this server does not trust. Sign in at the authorization server listed in the resource metadata."),
        SecurityTokenSignatureKeyNotFoundException => new("unknown_key", "The access token is signed with a key the issuer does not publish. Get a new token from the authorization server."),
        SecurityTokenInvalidSignatureException => new("signature", "The access token's signature does not verify against the issuer's published keys."),
        SecurityTokenMalformedException or ArgumentException => new("malformed", "The Authorization header does not hold a well-formed JWT access token."),
        MissingSubjectException => new("no_subject", "The access token has no subject (sub), so this server cannot tell whose documents to search."),
        InvalidOperationException or HttpRequestException or TaskCanceledException or IOException => s_issuerUnavailable,
        _ => new("invalid", "The access token was refused. Get a new one from the authorization server."),
    };

    // The ConfigurationManager answers from its cache, and refetches a failed document at most once per refresh interval.
    private static async Task<bool> HasSigningKeysAsync(JwtBearerOptions options, CancellationToken cancellationToken)
    {
        if (options.ConfigurationManager is null)
        {
            return true;
        }
        try
        {
            return (await options.ConfigurationManager.GetConfigurationAsync(cancellationToken)).SigningKeys.Count > 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static Exception Innermost(Exception error) => error switch
    {
        AggregateException { InnerExceptions.Count: > 0 } aggregate => Innermost(aggregate.InnerExceptions[0]),
        // IdentityModel wraps a failed metadata fetch; the cause decides the answer.
        InvalidOperationException { InnerException: { } inner } when inner is HttpRequestException or TaskCanceledException or IOException => inner,
        _ => error,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a bearer token ({Reason}, {ErrorType}) on {Method} {Path}")]
    private static partial void LogTokenRefused(ILogger logger, string reason, string errorType, string method, PathString path);

    public void Dispose() => _metadataClient.Dispose();

    private sealed class MissingSubjectException() : SecurityTokenValidationException("The token has no sub claim.");
}
