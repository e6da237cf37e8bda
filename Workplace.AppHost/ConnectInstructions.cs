using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workplace.AppHost.Auth;
using Workplace.AppHost.Cache;

namespace Workplace.AppHost;

/// <summary>What the developer reads once the graph is healthy: the dashboard, the MCP URL, and how to connect a client.</summary>
public static class ConnectInstructions
{
    /// <summary>The shell variable the printed commands read the development token from.</summary>
    public const string TokenVariable = "WORKPLACE_TOKEN";

    public static IDistributedApplicationBuilder AddConnectInstructions(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> mcpapi, IResourceBuilder<IResourceWithConnectionString>? cache)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return builder;
        }
        var printed = 0;
        mcpapi.OnResourceReady((resource, ready, cancellationToken) =>
        {
            // Ready again after a restart: the instructions are still the same, and were printed once.
            if (Interlocked.Exchange(ref printed, 1) == 0)
            {
                var mcp = new Uri(mcpapi.GetEndpoint("http").Url + "/mcp");
                var token = ready.Services.GetService<DevAuthority>()?.MintToken(mcp);
                Console.WriteLine(Format(mcp, token, DashboardLoginUrl(builder.Configuration), cache is not null));
            }
            return Task.CompletedTask;
        });
        return builder;
    }

    public static string Format(Uri mcp, string? devToken, string? dashboardLoginUrl, bool redis)
    {
        ArgumentNullException.ThrowIfNull(mcp);
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("Workplace is running.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"  Dashboard         {dashboardLoginUrl ?? "off"}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  MCP endpoint      {mcp}");
        text.AppendLine(redis
            ? "  cache             redis-server (data under .data/redis)"
            : $"  cache             in-process in each service: redis-server is not installed ({CacheExtensions.InstallHint})");
        text.AppendLine();

        var bearer = "";
        if (devToken is null)
        {
            text.AppendLine("Sign-in: the identity provider you configured (Auth__Authority or DESCOPE_PROJECT_ID); clients discover it from the server.");
        }
        else
        {
            // The token goes into a shell variable once, so every command below stays short and ready to paste.
            bearer = $" --header \"Authorization: Bearer ${TokenVariable}\"";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Development token (user dev-user, every workplace:read scope, {DevAuthority.TokenLifetime.TotalHours:0} h or until this AppHost stops; no identity provider configured; the dashboard's \"Show development token\" on mcpapi mints another):");
            text.AppendLine(CultureInfo.InvariantCulture, $"  export {TokenVariable}={devToken}");
        }
        text.AppendLine();
        text.AppendLine("Connect a client:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  MCP Inspector     npx -y @modelcontextprotocol/inspector --server-url {mcp} --transport http{bearer}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Inspector CLI     npx -y @modelcontextprotocol/inspector --cli --server-url {mcp} --transport http{bearer} --method tools/list");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Claude Code       claude mcp add --transport http workplace {mcp}{bearer}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Claude Desktop    Settings → Connectors → Add custom connector → {mcp} (signs in through OAuth: needs a real identity provider)");
        text.AppendLine();
        text.AppendLine("Ctrl+C stops everything.");
        return text.ToString();
    }

    // The dashboard answers on the AppHost's own URL and asks for the browser token once; Aspire logs the same link.
    private static string? DashboardLoginUrl(ConfigurationManager configuration)
    {
        var url = configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var token = configuration["AppHost:BrowserToken"];
        return url is null ? null : token is null ? url : $"{url.TrimEnd('/')}/login?t={token}";
    }
}
