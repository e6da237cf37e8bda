using Microsoft.IdentityModel.Tokens;

namespace Workplace.Emulators.Oidc;

/// <summary>How a minted token deviates from a good one.</summary>
public enum TokenFlaw
{
    None,
    /// <summary><c>alg: none</c>, no signature.</summary>
    AlgNone,
    /// <summary>HS256 with the issuer's public key (PEM text) as the HMAC secret: the algorithm-confusion attack.</summary>
    HmacWithPublicKey,
    /// <summary>Signed by the current key, then the signature altered.</summary>
    BadSignature,
    /// <summary>Signed by a key the issuer never publishes.</summary>
    UnpublishedKey,
}

/// <summary>What to put in a token. Null fields get the issuer's defaults.</summary>
public sealed record TokenSpec
{
    public string Subject { get; init; } = "user-1";
    public string? Audience { get; init; }
    public string? Issuer { get; init; }
    /// <summary>Goes into <c>scope</c>, space-separated; null leaves the claim out.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }
    public IReadOnlyDictionary<string, object> Claims { get; init; } = new Dictionary<string, object>();
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? Expires { get; init; }
    public string Algorithm { get; init; } = SecurityAlgorithms.RsaSha256;
    public TokenFlaw Flaw { get; init; }
}
