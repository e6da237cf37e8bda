using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

public static class ProviderSourceRegistration
{
    /// <summary>
    /// What every provider source registers before its own clients, when `Sources:{name}` configures the provider: the
    /// user's token source and the source's own options (<typeparamref name="TOptions"/> from <paramref name="section"/>).
    /// </summary>
    /// <returns>False when the provider is not configured: the source is then not served, and nothing is registered.</returns>
    public static bool TryAddProviderSource<TOptions>(this IHostApplicationBuilder builder, string source, string name, string title, string section)
        where TOptions : class
    {
        if (!builder.IsProviderConfigured(name))
        {
            return false;
        }
        builder.AddProviderCredentials(source, name, title);
        builder.Services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return true;
    }
}
