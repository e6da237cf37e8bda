using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Workplace.Connectors.Credentials;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.ServiceDefaults.Resilience;

namespace Workplace.Connectors.Sources.SharePoint;

/// <summary>
/// Microsoft Graph clients on the `sharepoint` HttpClient, which carries the user's token
/// (<see cref="ProviderAuthenticationHandler"/>) and the standard resilience handler. A client is made per call, as
/// IHttpClientFactory intends; the user travels on each request as a Kiota request option (<see cref="GraphCall"/>).
/// </summary>
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

    /// <summary>Configures one Graph call to be sent as <paramref name="user"/>.</summary>
    public static Action<RequestConfiguration<T>> As<T>(InternalPrincipal user, bool readOnlyPost = false) where T : class, new() =>
        configuration => configuration.Options.Add(new GraphCall(user, readOnlyPost));
}

/// <summary>Whose call a Graph request is, and whether a POST only reads (a search), so it may be retried like a GET.</summary>
public sealed record GraphCall(InternalPrincipal User, bool ReadOnlyPost) : IRequestOption;

/// <summary>
/// Kiota puts each request option on the HttpRequestMessage under its type's full name; this moves the
/// <see cref="GraphCall"/> onto the keys the handlers further in read: the user for the token, the retry mark for the
/// resilience handler.
/// </summary>
public sealed class GraphCallHandler : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<IRequestOption> s_key = new(typeof(GraphCall).FullName!);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(s_key, out var option) && option is GraphCall call)
        {
            request.For(call.User);
            if (call.ReadOnlyPost)
            {
                request.Options.Set(HttpResiliencePolicy.RetryNonIdempotent, true);
            }
        }
        return base.SendAsync(request, cancellationToken);
    }
}
