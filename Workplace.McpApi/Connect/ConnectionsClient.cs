using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.McpApi.Connect;

/// <summary>How connectors answered a connections call: the value, or a refusal whose detail a person may read.</summary>
public sealed record ConnectionsResult<T>(T? Value, HttpStatusCode Status, string? Detail);

/// <summary>The connections half of the internal connectors API (ConnectorContract.cs), as the connect flow's user.</summary>
public sealed class ConnectionsClient(HttpClient http, InternalAssertion assertion)
{
    public async Task<ConnectionsResult<AuthorizeResponse>> AuthorizeAsync(InternalPrincipal user, string source, AuthorizeRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, ConnectorRoutes.Authorize(source))
        {
            Content = JsonContent.Create(request, ConnectorJsonContext.Default.AuthorizeRequest),
        };
        using var response = await SendAsync(message, user, cancellationToken);
        return response.IsSuccessStatusCode
            ? new(await response.Content.ReadFromJsonAsync(ConnectorJsonContext.Default.AuthorizeResponse, cancellationToken), response.StatusCode, null)
            : new(null, response.StatusCode, await DetailAsync(response, cancellationToken));
    }

    /// <summary>Redeems the code for the user. Never retried: a provider accepts a code once.</summary>
    public async Task<ConnectionsResult<object>> GrantAsync(InternalPrincipal user, string source, GrantRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, ConnectorRoutes.Grant(source))
        {
            Content = JsonContent.Create(request, ConnectorJsonContext.Default.GrantRequest),
        };
        using var response = await SendAsync(message, user, cancellationToken);
        return new(null, response.StatusCode, response.IsSuccessStatusCode ? null : await DetailAsync(response, cancellationToken));
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, InternalPrincipal user, CancellationToken cancellationToken)
    {
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", assertion.Create(user));
        return http.SendAsync(message, cancellationToken);
    }

    private static async Task<string?> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                ? detail.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
