using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Workplace.AppHost.Auth;

public static class TokenIssuerExtensions
{
    public const string DevTokenCommand = "dev-token";

    /// <summary>
    /// Who signs the tokens mcpapi accepts.
    /// <list type="bullet">
    /// <item>Publish mode: the issuer and this server's public URL are deployment parameters.</item>
    /// <item>Run mode with <c>Auth__Authority</c> or <c>DESCOPE_PROJECT_ID</c> set: passed through to mcpapi, with
    /// <c>Auth__Resource</c> defaulting to the local MCP URL.</item>
    /// <item>Run mode without: a development key for this run (<see cref="DevAuthority"/>), mcpapi told to trust it, and a
    /// dashboard command that shows a fresh token. mcpapi refuses that key outside Development or off loopback.</item>
    /// </list>
    /// <paramref name="devUserEmail"/> is the development token's <c>email</c> claim (the emulated user, when providers are emulated).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTokenIssuer(this IResourceBuilder<ProjectResource> mcpapi, string? devUserEmail = null)
    {
        var builder = mcpapi.ApplicationBuilder;
        var descope = !string.IsNullOrWhiteSpace(builder.Configuration["DESCOPE_PROJECT_ID"]);
        if (builder.ExecutionContext.IsPublishMode)
        {
            mcpapi.WithEnvironment("Auth__Resource", builder.AddParameter("auth-resource"));
            return descope
                ? mcpapi.WithEnvironment("DESCOPE_PROJECT_ID", builder.AddParameter("descope-project-id"))
                : mcpapi.WithEnvironment("Auth__Authority", builder.AddParameter("auth-authority"));
        }

        var endpoint = mcpapi.GetEndpoint("http");
        if (!DevAuthority.IsNeeded(builder.Configuration))
        {
            return mcpapi.WithEnvironment(context =>
            {
                // The developer's issuer settings, as the AppHost's configuration has them (environment, user secrets, args).
                foreach (var (key, value) in builder.Configuration.GetSection("Auth").AsEnumerable(makePathsRelative: true))
                {
                    if (value is not null)
                    {
                        context.EnvironmentVariables["Auth__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
                    }
                }
                foreach (var variable in (string[])["DESCOPE_PROJECT_ID", "DESCOPE_MCP_SERVER_ID"])
                {
                    if (builder.Configuration[variable] is { Length: > 0 } value)
                    {
                        context.EnvironmentVariables[variable] = value;
                    }
                }
                if (!context.EnvironmentVariables.ContainsKey("Auth__Resource"))
                {
                    context.EnvironmentVariables["Auth__Resource"] = ReferenceExpression.Create($"{endpoint}/mcp");
                }
            });
        }

        var authority = new DevAuthority(email: devUserEmail);
        builder.Services.AddSingleton(authority);
        return mcpapi
            .WithEnvironment(context =>
            {
                foreach (var (key, value) in authority.McpApiEnvironment(new Uri(endpoint.Url)))
                {
                    context.EnvironmentVariables[key] = value;
                }
            })
            .WithCommand(DevTokenCommand, "Show development token", _ =>
                Task.FromResult(CommandResults.Success(
                    $"A development token for user dev-user{(devUserEmail is null ? "" : $" ({devUserEmail})")} with every read scope, valid {DevAuthority.TokenLifetime.TotalHours:0} h or until this AppHost stops. Send it as: Authorization: Bearer <token>",
                    authority.MintToken(new Uri(endpoint.Url)),
                    CommandResultFormat.Text,
                    displayImmediately: true)),
                new CommandOptions { Description = "Mints a bearer token for the MCP endpoint, signed with this run's development key.", IconName = "Key" });
    }
}
