using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Workplace.Emulators.Oidc;

/// <summary>
/// The admin shortcut's request: a token for <paramref name="Subject"/> with audience <paramref name="Audience"/> (the MCP
/// server's resource URL), the scopes, an <c>email</c> claim when given, living <paramref name="ExpiresIn"/> seconds (default 600).
/// </summary>
public sealed record OidcTokenRequest(string Subject, string Audience, IReadOnlyList<string>? Scopes = null, string? Email = null, int? ExpiresIn = null);

public sealed record OidcTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

/// <summary>
/// An OIDC issuer under <c>/oidc</c>: its issuer is <c>{this app's origin}/oidc</c>, discovery at
/// <c>/oidc/.well-known/openid-configuration</c>, keys at <c>/oidc/jwks.json</c>; <c>POST /admin/oidc/tokens</c>
/// (<see cref="OidcTokenRequest"/>) mints an access token, so a graph whose mcpapi trusts this issuer
/// (<c>Auth__Authority={emulators}/oidc</c>) can be called as any user.
/// </summary>
public static class OidcEmulator
{
    public const string PathBase = "/oidc";

    public static IHostApplicationBuilder AddOidcEmulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OidcKeys>();
        return builder;
    }

    public static IEndpointRouteBuilder MapOidcEmulator(this IEndpointRouteBuilder endpoints)
    {
        var oidc = endpoints.MapGroup(PathBase);
        oidc.MapGet("/.well-known/openid-configuration", (HttpRequest request) =>
            Results.Text(OidcKeys.Discovery(IssuerOf(request), IssuerOf(request) + "/jwks.json").ToJsonString(), "application/json"));
        oidc.MapGet("/jwks.json", (OidcKeys keys) => Results.Text(keys.Jwks().ToJsonString(), "application/json"));

        endpoints.MapPost("/admin/oidc/tokens", Results<Ok<OidcTokenResponse>, ProblemHttpResult> (OidcTokenRequest request, HttpRequest http, OidcKeys keys) =>
        {
            if (string.IsNullOrWhiteSpace(request.Subject) || !Uri.TryCreate(request.Audience, UriKind.Absolute, out _))
            {
                return TypedResults.Problem("Send a subject and the audience (the MCP server's resource URL, e.g. http://localhost:5180/mcp).", statusCode: StatusCodes.Status400BadRequest);
            }
            if (request.ExpiresIn is < 1 or > 86_400)
            {
                return TypedResults.Problem("expiresIn is a number of seconds from 1 to 86400.", statusCode: StatusCodes.Status400BadRequest);
            }
            var lifetime = request.ExpiresIn ?? 600;
            var claims = new Dictionary<string, object>();
            if (request.Email is { Length: > 0 } email)
            {
                claims["email"] = email;
            }
            var token = keys.Mint(IssuerOf(http), request.Audience, new TokenSpec
            {
                Subject = request.Subject,
                Scopes = request.Scopes,
                Claims = claims,
                Expires = DateTimeOffset.UtcNow.AddSeconds(lifetime),
            });
            return TypedResults.Ok(new OidcTokenResponse(token, "Bearer", lifetime));
        });
        return endpoints;
    }

    // The issuer is wherever a client reached this app: a fixed port under the AppHost, port 0 in the tests.
    private static string IssuerOf(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{PathBase}";
}
