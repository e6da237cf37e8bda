namespace Workplace.Connectors.Credentials.OAuth;

/// <summary>
/// The provider's token endpoint refused a request, with the OAuth error code it sent (RFC 6749 §5.2): invalid_grant
/// for a spent code or a revoked refresh token. The provider's description is not kept: it may echo what was sent.
/// </summary>
public sealed class OAuthRefusedException(string error, int status)
    : Exception($"The provider's token endpoint answered {status} {error}.")
{
    /// <summary>The error when the answer was not an OAuth error body.</summary>
    public const string MalformedResponse = "malformed_response";

    public string Error { get; } = error;

    public int Status { get; } = status;

    /// <summary>The grant or code is no good any more: connecting again is the only way on.</summary>
    public bool GrantRefused => Error == "invalid_grant";
}
