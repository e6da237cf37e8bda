using Workplace.Connectors.Sources;
using Workplace.Connectors.Sources.Providers;
using Workplace.Connectors.Sources.SharePoint;

namespace Microsoft.Extensions.Hosting;

public static class SharePointSourceRegistration
{
    /// <summary>
    /// The `sharepoint` source, when `Sources:SharePoint` configures it (BaseUrl and, for the connect flow, an OAuth
    /// client id): Microsoft Graph as each user, with their token from the configured token source.
    /// </summary>
    public static IHostApplicationBuilder AddSharePointSource(this IHostApplicationBuilder builder)
    {
        if (!builder.TryAddProviderSource<SharePointOptions>(SharePointSource.SourceId, SharePointSource.ConfigName, SharePointSource.Title, SharePointOptions.Section))
        {
            return builder;
        }
        builder.Services.AddHttpClient(GraphCalls.ClientName)
            .AddHttpMessageHandler(() => new GraphCallHandler())
            .AddProviderAuthentication(SharePointSource.SourceId)
            .AddProviderResilience(SharePointSource.SourceId, SharePointSource.ConfigName, SharePointSource.Title);
        // Downloads go to SharePoint's file host, not Graph: a breaker of their own, so a failing file host does not
        // stop searches (list_sources still shows the source paused while it is open), and the same budget, since
        // SharePoint Online counts a download against the tenant's limits like a Graph call.
        builder.Services.AddHttpClient(GraphCalls.DownloadClientName)
            .AddProviderResilience(SharePointSource.SourceId, SharePointSource.ConfigName, SharePointSource.Title);
        builder.Services.AddSingleton<GraphCalls>();
        builder.Services.AddSingleton<GraphFailures>();
        builder.Services.AddSingleton<IDocumentSource, SharePointSource>();
        return builder;
    }
}
