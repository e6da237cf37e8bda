namespace Workplace.Connectors.Credentials.OAuth;

/// <summary>
/// The Microsoft identity platform (v2.0): form posts, the tenant in the URL, <c>scope</c> on every token request,
/// <c>offline_access</c> for a refresh token, which rotates on every use. It has no endpoint that revokes one grant:
/// forgetting the grant is all a disconnect does (the user removes the app's consent in their account).
/// </summary>
public sealed class MicrosoftOAuthClient(HttpClient http, OAuthClientOptions options, TimeProvider time) : ProviderOAuthClient(http, options, time)
{
    protected override string DefaultScopes => "offline_access https://graph.microsoft.com/Files.Read.All https://graph.microsoft.com/Sites.Read.All https://graph.microsoft.com/User.Read";

    private const string DefaultTenant = "organizations";

    protected override Uri DefaultAuthorizeUrl => Endpoint("authorize");

    protected override Uri DefaultTokenUrl => Endpoint("token");

    private Uri Endpoint(string name) => new($"https://login.microsoftonline.com/{Options.Tenant ?? DefaultTenant}/oauth2/v2.0/{name}");

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraAuthorizeParameters => [new("response_mode", "query")];

    protected override HttpRequestMessage TokenRequest(Dictionary<string, string> fields)
    {
        fields["client_id"] = Options.ClientId!;
        fields["scope"] = Scopes!;
        if (!string.IsNullOrEmpty(Options.ClientSecret))
        {
            fields["client_secret"] = Options.ClientSecret;
        }
        return new HttpRequestMessage(HttpMethod.Post, TokenUrl) { Content = new FormUrlEncodedContent(fields) };
    }

    public override Task RevokeAsync(ProviderGrant grant, CancellationToken cancellationToken) => Task.CompletedTask;
}
