using System.Net.Http.Headers;
using System.Text;

namespace Workplace.Connectors.Credentials.OAuth;

/// <summary>
/// Notion: JSON bodies with HTTP Basic client authentication; <c>owner=user</c>; refresh tokens rotate on every use,
/// so the new one must be stored; revocation at /v1/oauth/revoke.
/// </summary>
public sealed class NotionOAuthClient(HttpClient http, OAuthClientOptions options, TimeProvider time) : ProviderOAuthClient(http, options, time)
{
    protected override Uri DefaultAuthorizeUrl { get; } = new("https://api.notion.com/v1/oauth/authorize");

    protected override Uri DefaultTokenUrl { get; } = new("https://api.notion.com/v1/oauth/token");

    private Uri RevokeUrl => Options.RevokeUrl ?? new Uri(TokenUrl, "revoke");

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraAuthorizeParameters => [new("owner", "user")];

    protected override HttpRequestMessage TokenRequest(Dictionary<string, string> fields)
    {
        var body = new NotionTokenRequest(fields["grant_type"], fields.GetValueOrDefault("code"), fields.GetValueOrDefault("redirect_uri"),
            fields.GetValueOrDefault("code_verifier"), fields.GetValueOrDefault("refresh_token"));
        return Authenticated(new HttpRequestMessage(HttpMethod.Post, TokenUrl) { Content = JsonContent.Create(body, OAuthJsonContext.Default.NotionTokenRequest) });
    }

    public override async Task RevokeAsync(ProviderGrant grant, CancellationToken cancellationToken)
    {
        using var request = Authenticated(new HttpRequestMessage(HttpMethod.Post, RevokeUrl)
        {
            Content = JsonContent.Create(new NotionRevokeRequest(grant.AccessToken), OAuthJsonContext.Default.NotionRevokeRequest),
        });
        using var response = await Http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private HttpRequestMessage Authenticated(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.ClientId}:{Options.ClientSecret}")));
        return request;
    }
}
