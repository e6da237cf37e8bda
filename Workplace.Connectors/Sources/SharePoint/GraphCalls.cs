using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Workplace.Connectors.Credentials;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Sources.SharePoint;

/// <summary>
/// Microsoft Graph clients on the `sharepoint-graph` HttpClient, which carries the user's token
/// (<see cref="ProviderAuthenticationHandler"/>) and the provider's resilience (AddProviderResilience). A client is made
/// per call, as IHttpClientFactory intends; the user travels on each request as a Kiota request option (<see cref="GraphCall"/>).
/// </summary>
/// <remarks>
/// Given an HttpClient, the Graph SDK sends through it as it is: none of GraphClientFactory's default handlers (Kiota's
/// retry, redirect and the rest), so the provider's pipeline is the only one that retries.
/// </remarks>
public sealed class GraphCalls(IHttpClientFactory clients, IOptionsMonitor<ProviderSourceOptions> options)
{
    public const string ClientName = "sharepoint-graph";

    /// <summary>Downloads from the pre-authenticated URLs Graph hands out: no token source, so no bearer token ever reaches that host.</summary>
    public const string DownloadClientName = "sharepoint-download";

    public GraphServiceClient Client()
    {
        var baseUrl = options.Get(SharePointSource.SourceId).BaseUrl
            ?? throw new InvalidOperationException("Sources:SharePoint:BaseUrl is not set; the source is registered only when it is.");
        // The authentication handler on the HttpClient sends the token; Kiota's own provider must add nothing.
        return new GraphServiceClient(clients.CreateClient(ClientName), new AnonymousAuthenticationProvider(), baseUrl.ToString().TrimEnd('/'));
    }

    public HttpClient DownloadClient() => clients.CreateClient(DownloadClientName);
}

/// <summary>Whose call a Graph request is.</summary>
public sealed record GraphCall(InternalPrincipal User) : IRequestOption;

/// <summary>
/// Kiota puts each request option on the HttpRequestMessage under its type's full name; this moves the
/// <see cref="GraphCall"/> onto the key the token handler further in reads.
/// </summary>
public sealed class GraphCallHandler : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<IRequestOption> s_key = new(typeof(GraphCall).FullName!);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(s_key, out var option) && option is GraphCall call)
        {
            request.For(call.User);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
