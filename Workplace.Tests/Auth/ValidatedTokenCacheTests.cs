using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Workplace.McpApi.Auth;

namespace Workplace.Tests.Auth;

/// <summary>
/// The cache of validated bearer tokens in front of IdentityModel's real handler and real RSA keys: what it may answer
/// without a signature check, and what always goes to a full validation. KeyRotationTests covers the same rule through
/// mcpapi with a JWKS that rotates.
/// </summary>
public sealed class ValidatedTokenCacheTests
{
    private const string Issuer = "https://issuer.example";
    private const string Audience = "https://workplace.example/mcp";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "k1" };
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CountingHandler _inner = new();
    private readonly ValidatedTokenCache _cache;

    public ValidatedTokenCacheTests() => _cache = new ValidatedTokenCache(_inner, _time);

    [Fact]
    public async Task A_valid_token_is_checked_once_and_answered_from_the_cache_until_it_expires()
    {
        var token = Mint(_key, TimeSpan.FromMinutes(10));
        var parameters = Parameters(_key);

        var first = await _cache.ValidateTokenAsync(token, parameters);
        var second = await _cache.ValidateTokenAsync(token, parameters);

        Assert.True(first.IsValid);
        Assert.Same(first, second);
        Assert.Equal(1, _inner.Validations);
        Assert.Equal("user-1", second.ClaimsIdentity.FindFirst("sub")?.Value);

        // Past exp the cache no longer answers: the token is validated again, and that validation decides.
        _time.Advance(TimeSpan.FromMinutes(10));
        await _cache.ValidateTokenAsync(token, parameters);
        Assert.Equal(2, _inner.Validations);
    }

    [Fact]
    public async Task A_key_the_handler_no_longer_uses_stops_its_tokens_at_once()
    {
        var token = Mint(_key, TimeSpan.FromMinutes(10));
        Assert.True((await _cache.ValidateTokenAsync(token, Parameters(_key))).IsValid);

        // The issuer rotated the key out: the new key set holds only another key.
        var rotatedIn = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "k2" };
        var refused = await _cache.ValidateTokenAsync(token, Parameters(rotatedIn));

        Assert.False(refused.IsValid);
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(refused.Exception);
        Assert.Equal(2, _inner.Validations);
        // Refused once, refused again: a failure is never remembered as a success.
        Assert.False((await _cache.ValidateTokenAsync(token, Parameters(rotatedIn))).IsValid);
    }

    [Fact]
    public async Task The_same_key_read_again_from_the_issuer_checks_the_signature_again()
    {
        var token = Mint(_key, TimeSpan.FromMinutes(10));
        var first = await _cache.ValidateTokenAsync(token, Parameters(_key));

        // A refreshed JWKS holds new key objects, even when the key material is the same.
        var reread = new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId };
        var second = await _cache.ValidateTokenAsync(token, Parameters(reread));

        Assert.True(second.IsValid);
        Assert.NotSame(first, second);
        Assert.Equal(2, _inner.Validations);
    }

    [Fact]
    public async Task Invalid_tokens_are_validated_every_time()
    {
        var foreign = Mint(new RsaSecurityKey(RSA.Create(2048)) { KeyId = _key.KeyId }, TimeSpan.FromMinutes(10));
        var expired = Mint(_key, TimeSpan.FromMinutes(-10));
        var parameters = Parameters(_key);

        foreach (var token in new[] { foreign, expired, foreign, expired, "not.a.jwt" })
        {
            Assert.False((await _cache.ValidateTokenAsync(token, parameters)).IsValid);
        }

        Assert.Equal(5, _inner.Validations);
    }

    private static string Mint(RsaSecurityKey key, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.AddMinutes(-30),
            NotBefore = now.AddMinutes(-30),
            Expires = now + lifetime,
            Claims = new Dictionary<string, object> { ["sub"] = "user-1" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    private static TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKeys = [key],
        ClockSkew = TimeSpan.Zero,
    };

    // IdentityModel's own handler, counted: how many tokens reached a full validation.
    private sealed class CountingHandler : JsonWebTokenHandler
    {
        private int _validations;

        public int Validations => _validations;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _validations);
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }
}
