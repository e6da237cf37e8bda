using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Credentials.OAuth;
using Workplace.ServiceDefaults.DataProtection;

namespace Microsoft.Extensions.Hosting;

public static class CredentialsRegistration
{
    /// <summary>The client every token endpoint call goes through.</summary>
    public const string OAuthHttpClient = "Workplace.OAuth";

    /// <summary>The vault and the key ring that encrypts it (in Redis when <see cref="ConnectorsRedis.AddConnectorsRedis"/> registered it).</summary>
    public static IHostApplicationBuilder AddCredentials(this IHostApplicationBuilder builder)
    {
        builder.Services.AddWorkplaceDataProtection();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<GrantVault>();
        builder.Services.AddHostedService<GrantChangeListener>();
        builder.Services.AddHttpClient(OAuthHttpClient);
        return builder;
    }

    /// <summary>Binds `Sources:{name}` as the named <see cref="ProviderSourceOptions"/> of <paramref name="source"/> and registers its token source.</summary>
    public static IHostApplicationBuilder AddProviderCredentials(this IHostApplicationBuilder builder, string source, string name, string title)
    {
        builder.Services.AddProviderCredentials(source, name, title);
        return builder;
    }

    /// <summary>
    /// As above, on a service collection. Registers once per source: <c>Sources:{name}:TokenSource</c> chooses the
    /// token source (connect, descope, delegation) when it is first resolved.
    /// </summary>
    public static IServiceCollection AddProviderCredentials(this IServiceCollection services, string source, string name, string title)
    {
        if (services.Any(d => d.ImplementationInstance is ProviderCredentials registered && registered.Source == source))
        {
            return services;
        }
        services.AddSingleton(new ProviderCredentials(source, name, title));
        services.AddOptions<ProviderSourceOptions>(source).BindConfiguration($"Sources:{name}")
            .Validate(o => o.TokenSource is TokenSourceKinds.Connect or TokenSourceKinds.Descope or TokenSourceKinds.Delegation,
                $"Sources:{name}:TokenSource must be connect, descope or delegation.")
            .Validate(o => o.TokenSource != TokenSourceKinds.Delegation || name == GoogleDrive,
                $"Sources:{name}:TokenSource delegation is for Google Drive only (a service account with domain-wide delegation); use connect or descope.")
            // The tenant goes into the sign-in URL's path: a tenant id or domain, nothing that could change the URL.
            .Validate(o => o.OAuth.Tenant is null || (name == SharePoint && o.OAuth.Tenant.Length is > 0 and <= 255 && o.OAuth.Tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')),
                $"Sources:{name}:OAuth:Tenant is for SharePoint only: organizations, or your Microsoft Entra tenant's id or domain (letters, digits, '.' and '-').")
            .ValidateOnStart();
        services.AddKeyedSingleton<ProviderOAuthClient>(source, (sp, _) =>
        {
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(OAuthHttpClient);
            var oauth = sp.ProviderOptions(source).OAuth;
            var time = sp.GetRequiredService<TimeProvider>();
            return name switch
            {
                GoogleDrive => new GoogleOAuthClient(http, oauth, time),
                Notion => new NotionOAuthClient(http, oauth, time),
                SharePoint => new MicrosoftOAuthClient(http, oauth, time),
                _ => throw new InvalidOperationException($"Sources:{name} has no OAuth dialect: the connect flow knows GoogleDrive, Notion and SharePoint."),
            };
        });
        services.AddKeyedSingleton<ITokenSource>(source, (sp, _) => sp.ProviderOptions(source).TokenSource switch
        {
            TokenSourceKinds.Descope => ActivatorUtilities.CreateInstance<DescopeTokenSource>(sp, source, title, sp.ProviderOptions(source).Descope),
            TokenSourceKinds.Delegation => new DelegationTokenSource(title, sp.ProviderOptions(source).Delegation),
            _ => ActivatorUtilities.CreateInstance<ConnectFlowTokenSource>(sp, source, title, sp.GetRequiredKeyedService<ProviderOAuthClient>(source)),
        });
        return services;
    }

    /// <summary>Whether `Sources:{name}` configures the provider (read before the container is built, to decide what to register).</summary>
    public static bool IsProviderConfigured(this IHostApplicationBuilder builder, string name) =>
        builder.Configuration.GetSection($"Sources:{name}").Get<ProviderSourceOptions>() is { IsConfigured: true };

    /// <summary>Sends the user's token for <paramref name="source"/> on every call of this client (<see cref="ProviderAuthenticationHandler"/>).</summary>
    public static IHttpClientBuilder AddProviderAuthentication(this IHttpClientBuilder client, string source) =>
        client.AddHttpMessageHandler(sp => new ProviderAuthenticationHandler(sp.GetRequiredKeyedService<ITokenSource>(source)));

    internal static ProviderSourceOptions ProviderOptions(this IServiceProvider services, string source) =>
        services.GetRequiredService<IOptionsMonitor<ProviderSourceOptions>>().Get(source);

    private const string GoogleDrive = "GoogleDrive";
    private const string Notion = "Notion";
    private const string SharePoint = "SharePoint";
}
