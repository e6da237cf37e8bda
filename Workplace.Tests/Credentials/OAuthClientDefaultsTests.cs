using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Workplace.Connectors.Credentials;
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
        using var provider = Connectors(source, name);

        var url = AuthorizationUrl(provider, source);

        Assert.StartsWith(authorizeUrl + "?", url, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(new Uri(url).Query);
        Assert.Equal(scopes, query.TryGetValue("scope", out var scope) ? scope.ToString() : null);
        Assert.Equal("client", query["client_id"].ToString());
    }

    [Fact]
    public void A_single_tenant_Microsoft_app_names_its_tenant_once()
    {
        using var provider = Connectors("sharepoint", "SharePoint", ("Sources:SharePoint:OAuth:Tenant", "contoso.onmicrosoft.com"));

        Assert.StartsWith("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize?", AuthorizationUrl(provider, "sharepoint"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sharepoint", "SharePoint", "evil.example/oauth2/v2.0/authorize?x=")]
    [InlineData("sharepoint", "SharePoint", "")]
    [InlineData("notion", "Notion", "contoso.onmicrosoft.com")]
    public void A_tenant_that_is_not_one_is_refused_at_start(string source, string name, string tenant)
    {
        using var provider = Connectors(source, name, ($"Sources:{name}:OAuth:Tenant", tenant));

        var refused = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<ProviderSourceOptions>>().Get(source));
        Assert.Contains($"Sources:{name}:OAuth:Tenant is for SharePoint only", refused.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Connectors(string source, string name, params (string Key, string Value)[] settings)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"Sources:{name}:OAuth:ClientId"] = "client",
            [$"Sources:{name}:OAuth:ClientSecret"] = "secret",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build())
            .AddSingleton(TimeProvider.System)
            .AddHttpClient()
            .AddProviderCredentials(source, name, name)
            .BuildServiceProvider();
    }

    private static string AuthorizationUrl(ServiceProvider provider, string source) =>
        provider.GetRequiredKeyedService<ProviderOAuthClient>(source)
            .AuthorizationUrl(new AuthorizeRequest("https://workplace.example/connect/callback", "state", "challenge", LoginHint: null));
}
