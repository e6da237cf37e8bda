using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Workplace.AppHost.Auth;

/// <summary>
/// Local use without an identity provider: a fresh RSA key per AppHost run, mcpapi told to trust its public half
/// (issuer <c>workplace-dev</c>), and one token signed with it. mcpapi accepts this only in Development on loopback.
/// </summary>
public sealed class DevAuthority : IDisposable
{
    public const string Issuer = "workplace-dev";

    // The scopes mcpapi maps to sources (Workplace.McpApi SourceIds; a test keeps the two lists equal).
    public static IReadOnlyList<string> ReadScopes { get; } =
        ["workplace:read:google_drive", "workplace:read:notion", "workplace:read:sharepoint", "workplace:read:files"];

    // A working day: one paste lasts the session, and a token that leaks from shell history or a client's
    // config file is dead by tomorrow. It dies sooner anyway: the key exists only while this AppHost runs.
    public static TimeSpan TokenLifetime { get; } = TimeSpan.FromHours(8);

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="time">The clock tokens are dated by.</param>
    /// <param name="email">The developer's <c>email</c> claim: with emulated providers, the emulated user the connect flow signs in as.</param>
    public DevAuthority(TimeProvider? time = null, string? email = null)
    {
        _time = time ?? TimeProvider.System;
        Email = email;
        _key = new RsaSecurityKey(_rsa);
        _key.KeyId = Base64UrlEncoder.Encode(_key.ComputeJwkThumbprint());
    }

    /// <summary>The <c>email</c> claim of the developer's tokens, if any.</summary>
    public string? Email { get; }

    /// <summary>The value of <c>Auth__DevSigningKey</c>.</summary>
    public string PublicKeyPem => _rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>
    /// False when the AppHost's configuration (environment in any case, user secrets, arguments) names a real issuer
    /// (<c>Auth:Authority</c> or <c>DESCOPE_PROJECT_ID</c>): then the AppHost passes those through to mcpapi and mints nothing.
    /// </summary>
    public static bool IsNeeded(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.IsNullOrEmpty(configuration["Auth:Authority"]) && string.IsNullOrEmpty(configuration["DESCOPE_PROJECT_ID"]);
    }

    /// <summary>What mcpapi at <paramref name="mcpApiUrl"/> (loopback) needs to trust this run's tokens.</summary>
    public IReadOnlyDictionary<string, string> McpApiEnvironment(Uri mcpApiUrl) => new Dictionary<string, string>
    {
        ["Auth__DevSigningKey"] = PublicKeyPem,
        ["Auth__Resource"] = ResourceOf(mcpApiUrl),
    };

    /// <summary>A token for the developer: every read scope, <see cref="TokenLifetime"/>, audience <c>{mcpApiUrl}/mcp</c>, <see cref="Email"/>.</summary>
    public string MintToken(Uri mcpApiUrl) => CreateToken(ResourceOf(mcpApiUrl), "dev-user", ReadScopes, TokenLifetime, Email);

    /// <summary>A token signed with this run's key, e.g. for a second user in whole-graph tests.</summary>
    public string CreateToken(string audience, string subject, IEnumerable<string> scopes, TimeSpan lifetime, string? email = null)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            ["scope"] = string.Join(' ', scopes),
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        if (email is not null)
        {
            claims[JwtRegisteredClaimNames.Email] = email;
        }
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static string ResourceOf(Uri mcpApiUrl)
    {
        ArgumentNullException.ThrowIfNull(mcpApiUrl);
        if (!mcpApiUrl.IsLoopback)
        {
            throw new ArgumentException($"The development key serves loopback addresses only, not {mcpApiUrl}. Bind mcpapi to 127.0.0.1, or configure a real issuer (DESCOPE_PROJECT_ID or Auth__Authority).", nameof(mcpApiUrl));
        }
        return mcpApiUrl.GetLeftPart(UriPartial.Authority) + "/mcp";
    }

    public void Dispose() => _rsa.Dispose();
}
