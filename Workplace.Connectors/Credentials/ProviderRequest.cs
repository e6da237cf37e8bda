using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Credentials;

/// <summary>The request option a source sets on every provider call so <see cref="ProviderAuthenticationHandler"/> knows whose token to send.</summary>
public static class ProviderRequest
{
    public static readonly HttpRequestOptionsKey<InternalPrincipal> User = new("Workplace.ProviderUser");

    public static HttpRequestMessage For(this HttpRequestMessage request, InternalPrincipal user)
    {
        request.Options.Set(User, user);
        return request;
    }
}
