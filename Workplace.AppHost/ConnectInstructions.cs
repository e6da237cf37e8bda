using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workplace.AppHost.Auth;
using Microsoft.Extensions.Hosting;
using Workplace.AppHost.Cache;
using Workplace.AppHost.Providers;

namespace Workplace.AppHost;

/// <summary>What the developer reads once the graph is healthy: the dashboard, the MCP URL, and how to connect a client.</summary>
public static class ConnectInstructions
{
    /// <summary>The shell variable the printed commands read the development token from.</summary>
    public const string TokenVariable = "WORKPLACE_TOKEN";

    public static IDistributedApplicationBuilder AddConnectInstructions(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> mcpapi, IResourceBuilder<IResourceWithConnectionString>? cache, EmulatedProviders? emulated)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return builder;
        }
        if (emulated is not null)
        {
            builder.Services.AddSingleton<DevUserConnections>();
        }
        var printed = 0;
        mcpapi.OnResourceReady((resource, ready, cancellationToken) =>
        {
            // Ready again after a restart: the instructions are still the same, and were printed once.
            if (Interlocked.Exchange(ref printed, 1) == 0)
            {
                var mcp = new Uri(mcpapi.GetEndpoint("http").Url + "/mcp");
                var authority = ready.Services.GetService<DevAuthority>();
                var stopping = ready.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                // Connecting takes a few round trips through mcpapi and the emulators: not on the thread that reports readiness.
                _ = ConnectAndPrintAsync(builder.Configuration, mcp, authority, ready.Services.GetService<DevUserConnections>(), emulated, cache is not null, stopping);
            }
            return Task.CompletedTask;
        });
        return builder;
    }

    private static async Task ConnectAndPrintAsync(IConfiguration configuration, Uri mcp, DevAuthority? authority, DevUserConnections? connections,
        EmulatedProviders? emulated, bool redis, CancellationToken stopping)
    {
        var token = authority?.MintToken(mcp);
        IReadOnlyList<SourceConnection> outcomes = [];
        if (connections is not null && emulated is not null)
        {
            if (token is null)
            {
                connections.Skip();
            }
            else
            {
                outcomes = await connections.ConnectAsync(new Uri(mcp.GetLeftPart(UriPartial.Authority)), token, [.. emulated.Providers.Select(p => p.Id)], stopping);
            }
        }
        var sources = ProviderSource.All.Select(provider => (provider.Id, SourceState(configuration, provider, emulated, token is not null, outcomes))).ToList();
        var emulators = emulated?.Emulators.GetEndpoint("http").Url;
        Console.WriteLine(Format(mcp, token, authority?.Email, DashboardLoginUrl(configuration), redis, emulators, sources));
    }

    private static string SourceState(IConfiguration configuration, ProviderSource provider, EmulatedProviders? emulated, bool devToken, IReadOnlyList<SourceConnection> outcomes)
    {
        if (emulated is not null && emulated.Providers.Contains(provider))
        {
            return outcomes.FirstOrDefault(o => o.Source == provider.Id) switch
            {
                { Connected: true } outcome => "emulated, " + outcome.Message,
                { Connected: false } => "emulated, not connected (the warning above says why and how to connect it)",
                null when devToken => "emulated, not tried",
                null => "emulated: connect it through the connect_url list_sources gives",
            };
        }
        return provider.IsConfigured(configuration)
            ? $"{provider.Title} itself ({provider.VariablePrefix}* configured)"
            : $"off: not configured ({provider.VariablePrefix}*) and not emulated ({ProviderSourcesExtensions.EmulatorsKey}=off)";
    }

    /// <summary>The text printed once the graph is healthy.</summary>
    /// <param name="mcp">The MCP endpoint.</param>
    /// <param name="devToken">The development token; null when a real identity provider signs tokens.</param>
    /// <param name="devEmail">The development token's email: the emulated user it connects as.</param>
    /// <param name="dashboardLoginUrl">The dashboard's login link; null when the dashboard is off.</param>
    /// <param name="redis">Whether redis-server runs.</param>
    /// <param name="emulators">Workplace.Emulators' address; null when nothing is emulated.</param>
    /// <param name="sources">Each provider source and where it is served from.</param>
    public static string Format(Uri mcp, string? devToken, string? devEmail, string? dashboardLoginUrl, bool redis, string? emulators, IReadOnlyList<(string Source, string State)> sources)
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
        if (emulators is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  emulators         {emulators} (Workplace.Emulators: Google Drive, Notion and Microsoft Graph with a sample company's documents)");
        }
        text.AppendLine();
        text.AppendLine("Sources:");
        text.AppendLine("  files             the folder Sources__Files__Root names (default samples/workspace)");
        foreach (var (source, state) in sources)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {source,-18}{state}");
        }
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
                $"Development token (user dev-user{(devEmail is null ? "" : $", email {devEmail}")}, every workplace:read scope, {DevAuthority.TokenLifetime.TotalHours:0} h or until this AppHost stops; no identity provider configured; the dashboard's \"Show development token\" on mcpapi mints another):");
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
    private static string? DashboardLoginUrl(IConfiguration configuration)
    {
        var url = configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var token = configuration["AppHost:BrowserToken"];
        return url is null ? null : token is null ? url : $"{url.TrimEnd('/')}/login?t={token}";
    }
}
