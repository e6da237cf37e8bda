using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workplace.Connectors.Credentials.OAuth;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Tests.Credentials;

/// <summary>
/// Connectors alone knows each real provider's OAuth endpoints and scopes (the AppHost names only the API root): a source
/// configured with just a client id sends people to the provider's real consent page, asking for the read-only scopes
/// README lists.
/// </summary>
public sealed class OAuthClientDefaultsTests
{
    [Theory]
    [InlineData("google_drive", "GoogleDrive", "https://accounts.google.com/o/oauth2/v2/auth", "https://www.googleapis.com/auth/drive.readonly")]
    [InlineData("notion", "Notion", "https://api.notion.com/v1/oauth/authorize", null)]
    [InlineData("sharepoint", "SharePoint", "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
        "offline_access https://graph.microsoft.com/Files.Read.All https://graph.microsoft.com/Sites.Read.All https://graph.microsoft.com/User.Read")]
    public void A_source_configured_with_a_client_id_alone_asks_the_real_provider(string source, string name, string authorizeUrl, string? scopes)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"Sources:{name}:OAuth:ClientId"] = "client",
                [$"Sources:{name}:OAuth:ClientSecret"] = "secret",
            }).Build())
            .AddSingleton(TimeProvider.System)
            .AddHttpClient()
            .AddProviderCredentials(source, name, name);
        using var provider = services.BuildServiceProvider();

        var url = provider.GetRequiredKeyedService<ProviderOAuthClient>(source)
            .AuthorizationUrl(new AuthorizeRequest("https://workplace.example/connect/callback", "state", "challenge", LoginHint: null));

        Assert.StartsWith(authorizeUrl + "?", url, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(new Uri(url).Query);
        Assert.Equal(scopes, query.TryGetValue("scope", out var scope) ? scope.ToString() : null);
        Assert.Equal("client", query["client_id"].ToString());
    }
}
