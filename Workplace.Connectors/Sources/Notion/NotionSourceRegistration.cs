using Workplace.Connectors.Sources;
using Workplace.Connectors.Sources.Notion;
using Workplace.Connectors.Sources.Providers;

namespace Microsoft.Extensions.Hosting;

public static class NotionSourceRegistration
{
    /// <summary>
    /// The `notion` source, when `Sources:Notion` configures it: the user's token on every call, the API at
    /// `Sources:Notion:BaseUrl` (https://api.notion.com/ or the emulator), limits from <see cref="NotionOptions"/>.
    /// </summary>
    public static IHostApplicationBuilder AddNotionSource(this IHostApplicationBuilder builder)
    {
        if (!builder.TryAddProviderSource<NotionOptions>(NotionSource.SourceId, NotionSource.ConfigurationName, NotionSource.Title, NotionOptions.Section))
        {
            return builder;
        }
        builder.Services.AddSingleton<NotionTrace>();
        builder.Services.AddHttpClient(NotionClient.HttpClientName, (services, http) => http.BaseAddress = services.ProviderOptions(NotionSource.SourceId).BaseUrl)
            .AddProviderAuthentication(NotionSource.SourceId)
            .AddProviderResilience(NotionSource.SourceId, NotionSource.ConfigurationName, NotionSource.Title);
        builder.Services.AddSingleton<NotionClient>();
        builder.Services.AddSingleton<IDocumentSource, NotionSource>();
        return builder;
    }
}
