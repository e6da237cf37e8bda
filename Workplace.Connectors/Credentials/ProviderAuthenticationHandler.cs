using System.Net;
using System.Net.Http.Headers;

namespace Workplace.Connectors.Credentials;

/// <summary>
/// Sends the user's provider token on each call (the user comes from <see cref="ProviderRequest.User"/>); on a 401 it
/// asks the token source for a fresh token once and sends the call again, so an expired or rotated token costs one retry.
/// </summary>
public sealed class ProviderAuthenticationHandler(ITokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(ProviderRequest.User, out var user))
        {
            throw new InvalidOperationException($"A provider call was sent without its user: set it with {nameof(ProviderRequest)}.{nameof(ProviderRequest.For)}.");
        }
        var token = await tokens.GetAccessTokenAsync(user, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.RefreshAsync(user, token, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
