namespace Workplace.Connectors.Credentials.OAuth;

/// <summary>
/// Google: form posts with the client secret in the form; <c>access_type=offline&amp;prompt=consent</c> so consent yields a
/// refresh token (Google keeps it: refresh answers carry none); revocation at oauth2.googleapis.com/revoke.
/// </summary>
public sealed class GoogleOAuthClient(HttpClient http, OAuthClientOptions options, TimeProvider time) : ProviderOAuthClient(http, options, time)
{
    protected override Uri DefaultAuthorizeUrl { get; } = new("https://accounts.google.com/o/oauth2/v2/auth");

    protected override Uri DefaultTokenUrl { get; } = new("https://oauth2.googleapis.com/token");

    protected override string DefaultScopes => "https://www.googleapis.com/auth/drive.readonly";

    private Uri RevokeUrl => Options.RevokeUrl ?? new Uri("https://oauth2.googleapis.com/revoke");

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraAuthorizeParameters =>
        [new("access_type", "offline"), new("prompt", "consent"), new("include_granted_scopes", "true")];

    protected override HttpRequestMessage TokenRequest(Dictionary<string, string> fields)
    {
        fields["client_id"] = Options.ClientId!;
        fields["client_secret"] = Options.ClientSecret ?? "";
        return new HttpRequestMessage(HttpMethod.Post, TokenUrl) { Content = new FormUrlEncodedContent(fields) };
    }

    public override async Task RevokeAsync(ProviderGrant grant, CancellationToken cancellationToken)
    {
        // Revoking the refresh token ends the whole grant, its access tokens included.
        using var request = new HttpRequestMessage(HttpMethod.Post, RevokeUrl)
        {
            Content = new FormUrlEncodedContent([new("token", grant.RefreshToken ?? grant.AccessToken)]),
        };
        using var response = await Http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
