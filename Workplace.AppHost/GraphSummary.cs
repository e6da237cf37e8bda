using System.Text;

namespace Workplace.AppHost;

/// <summary>What the developer reads once the graph is up: where it is and how to connect a client.</summary>
public static class GraphSummary
{
    /// <summary>Printed where the development bearer token goes until Workplace.AppHost/DevAuth is wired in.</summary>
    public const string NoDevTokenYet = "(none: authentication is not on in this build; see Workplace.AppHost/DevAuth)";

    public static string Format(RunningGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var mcp = graph.McpEndpoint;
        var token = graph.DevToken;
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("Workplace is running.");
        text.AppendLine();
        text.AppendLine($"  MCP endpoint      {mcp}");
        foreach (var service in graph.Services)
        {
            text.AppendLine($"  {service.Name,-16}  {service.Url}  (health: {new Uri(service.Url, "/health")})");
        }
        text.AppendLine(graph.Redis is { } redis
            ? $"  {WorkplaceGraph.Cache,-16}  redis {redis.ConnectionString}"
            : $"  {WorkplaceGraph.Cache,-16}  in-process (redis-server not found; sudo apt-get install redis-server)");
        // DevAuth: the development bearer token appears on this line.
        text.AppendLine($"  Dev bearer token  {token ?? NoDevTokenYet}");
        text.AppendLine();
        text.AppendLine("Connect a client:");
        text.AppendLine($"  MCP Inspector     npx @modelcontextprotocol/inspector   then Transport \"Streamable HTTP\", URL {mcp}"
            + (token is null ? "" : ", header Authorization: Bearer <dev token>"));
        text.AppendLine($"  Claude Code       claude mcp add --transport http workplace {mcp}"
            + (token is null ? "" : " --header \"Authorization: Bearer <dev token>\""));
        text.AppendLine($"  Claude Desktop    Settings → Connectors → Add custom connector → {mcp}");
        text.AppendLine();
        text.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Started in {graph.StartDuration.TotalSeconds:0.0} s. Ctrl+C stops everything."));
        return text.ToString();
    }
}
