using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Workplace.Connectors.Credentials;

namespace Microsoft.Extensions.Hosting;

public static class CredentialsRegistration
{
    /// <summary>The vault and the key ring that encrypts it.</summary>
    public static IHostApplicationBuilder AddCredentials(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDataProtection().SetApplicationName("Workplace");
        builder.Services.AddSingleton<GrantVault>();
        return builder;
    }

    /// <summary>Binds `Sources:{name}` as the named <see cref="ProviderSourceOptions"/> of <paramref name="source"/> and registers its token source.</summary>
    public static IHostApplicationBuilder AddProviderCredentials(this IHostApplicationBuilder builder, string source, string name, string title)
    {
        builder.Services.AddOptions<ProviderSourceOptions>(source).BindConfiguration($"Sources:{name}");
        builder.Services.AddKeyedSingleton<ITokenSource>(source, (sp, _) => new ConnectFlowTokenSource(source, title, sp.GetRequiredService<GrantVault>()));
        return builder;
    }

    /// <summary>Whether `Sources:{name}` configures the provider (read before the container is built, to decide what to register).</summary>
    public static bool IsProviderConfigured(this IHostApplicationBuilder builder, string name) =>
        builder.Configuration.GetSection($"Sources:{name}").Get<ProviderSourceOptions>() is { IsConfigured: true };

    /// <summary>Sends the user's token for <paramref name="source"/> on every call of this client (<see cref="ProviderAuthenticationHandler"/>).</summary>
    public static IHttpClientBuilder AddProviderAuthentication(this IHttpClientBuilder client, string source) =>
        client.AddHttpMessageHandler(sp => new ProviderAuthenticationHandler(sp.GetRequiredKeyedService<ITokenSource>(source)));

    internal static ProviderSourceOptions ProviderOptions(this IServiceProvider services, string source) =>
        services.GetRequiredService<IOptionsMonitor<ProviderSourceOptions>>().Get(source);
}
