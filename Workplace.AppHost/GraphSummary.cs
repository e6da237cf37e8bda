using System.Globalization;
using System.Text;
using Workplace.AppHost.DevAuth;

namespace Workplace.AppHost;

/// <summary>What the developer reads once the graph is up: where it is and how to connect a client.</summary>
public static class GraphSummary
{
    /// <summary>The shell variable the printed commands read the development token from.</summary>
    public const string TokenVariable = "WORKPLACE_TOKEN";

    public static string Format(RunningGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var mcp = graph.McpEndpoint;
        var token = graph.DevToken;
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("Workplace is running.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"  MCP endpoint      {mcp}");
        foreach (var service in graph.Services)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {service.Name,-16}  {service.Url}  (health: {new Uri(service.Url, "/health")})");
        }
        text.AppendLine(graph.Redis is { } redis
            ? $"  {WorkplaceGraph.Cache,-16}  redis {redis.ConnectionString}"
            : $"  {WorkplaceGraph.Cache,-16}  in-process (redis-server not found; sudo apt-get install redis-server)");
        text.AppendLine();

        var bearer = "";
        if (token is null)
        {
            text.AppendLine("Sign-in: the identity provider you configured (Auth__Authority or DESCOPE_PROJECT_ID); clients discover it from the server.");
        }
        else
        {
            // The token goes into a shell variable once, so every command below stays short and ready to paste.
            bearer = $" --header \"Authorization: Bearer ${TokenVariable}\"";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Development token (user dev-user, every workplace:read scope, {DevAuthority.TokenLifetime.TotalHours:0} h or until this AppHost stops; no identity provider configured):");
            text.AppendLine(CultureInfo.InvariantCulture, $"  export {TokenVariable}={token}");
        }
        text.AppendLine();
        text.AppendLine("Connect a client:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  MCP Inspector     npx -y @modelcontextprotocol/inspector --server-url {mcp} --transport http{bearer}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Inspector CLI     npx -y @modelcontextprotocol/inspector --cli --server-url {mcp} --transport http{bearer} --method tools/list");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Claude Code       claude mcp add --transport http workplace {mcp}{bearer}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Claude Desktop    Settings → Connectors → Add custom connector → {mcp} (signs in through OAuth: needs a real identity provider)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Started in {graph.StartDuration.TotalSeconds:0.0} s. Ctrl+C stops everything.");
        return text.ToString();
    }
}
