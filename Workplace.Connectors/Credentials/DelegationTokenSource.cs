using System.Collections.Concurrent;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Json;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Credentials;

/// <summary>
/// Google domain-wide delegation: the organisation's service account acts as the user's email (the <c>email</c> claim
/// mcpapi puts into the internal assertion), so nobody connects anything. Google.Apis.Auth signs the assertion, caches
/// each user's token and renews it before it expires; the token URL is configurable so the emulator can answer.
/// </summary>
public sealed class DelegationTokenSource : ITokenSource
{
    private const string DriveReadonly = "https://www.googleapis.com/auth/drive.readonly";

    private readonly string _title;
    private readonly JsonCredentialParameters _key;
    private readonly string[] _scopes;
    private readonly string _tokenUrl;
    private readonly ConcurrentDictionary<string, ServiceAccountCredential> _credentials = new(StringComparer.OrdinalIgnoreCase);

    public DelegationTokenSource(string title, DelegationOptions options)
    {
        _title = title;
        var json = options.CredentialsJson is { Length: > 0 } inline ? inline : File.ReadAllText(options.CredentialsFile!);
        _key = NewtonsoftJsonSerializer.Instance.Deserialize<JsonCredentialParameters>(json);
        if (_key is not { Type: JsonCredentialParameters.ServiceAccountCredentialType, ClientEmail.Length: > 0, PrivateKey.Length: > 0 })
        {
            throw new InvalidOperationException("Sources:GoogleDrive:Delegation holds no service account key: use the JSON key file of a service account (type service_account, client_email, private_key).");
        }
        _scopes = (options.Scopes ?? DriveReadonly).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        _tokenUrl = options.TokenUrl?.ToString() ?? _key.TokenUri ?? GoogleAuthConsts.OidcTokenUrl;
    }

    public string Kind => TokenSourceKinds.Delegation;

    public async ValueTask<string> GetAccessTokenAsync(InternalPrincipal user, CancellationToken cancellationToken)
    {
        var credential = For(user);
        try
        {
            return await credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
        }
        catch (TokenResponseException e)
        {
            throw Refused(e);
        }
    }

    public async ValueTask<string> RefreshAsync(InternalPrincipal user, string rejected, CancellationToken cancellationToken)
    {
        var credential = For(user);
        if (credential.Token?.AccessToken is { } current && !string.Equals(current, rejected, StringComparison.Ordinal))
        {
            return current;
        }
        try
        {
            await credential.RequestAccessTokenAsync(cancellationToken);
            return await credential.GetAccessTokenForRequestAsync(cancellationToken: cancellationToken);
        }
        catch (TokenResponseException e)
        {
            throw Refused(e);
        }
    }

    /// <summary>Delegation covers everyone in the domain: a user with an email is connected.</summary>
    public ValueTask<bool> IsConnectedAsync(InternalPrincipal user, CancellationToken cancellationToken) => ValueTask.FromResult(!string.IsNullOrEmpty(user.Email));

    private ServiceAccountCredential For(InternalPrincipal user)
    {
        if (string.IsNullOrEmpty(user.Email))
        {
            throw new SourceRequestException(SourceFailure.NotConnected,
                $"{_title} is reached through your organisation's delegation, which acts as your email, and your sign-in carries none. Sign in with your work account, then call again.");
        }
        return _credentials.GetOrAdd(user.Email, email => new ServiceAccountCredential(
            new ServiceAccountCredential.Initializer(_key.ClientEmail, _tokenUrl)
            {
                User = email,
                Scopes = _scopes,
                KeyId = _key.PrivateKeyId,
            }.FromPrivateKey(_key.PrivateKey)));
    }

    private SourceRequestException Refused(TokenResponseException e) =>
        new(SourceFailure.ProviderFailure,
            $"Google refused to let your organisation's service account read {_title} as you ({e.Error?.Error ?? "no reason given"}). Ask your administrator to check the domain-wide delegation of the service account and its scopes.",
            inner: e);
}
