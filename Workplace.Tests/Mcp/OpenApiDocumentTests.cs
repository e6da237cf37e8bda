using System.Text.Json;
using Workplace.Tests.Infrastructure;
using YamlDotNet.Serialization;

namespace Workplace.Tests.Mcp;

/// <summary>openapi.yaml at the repository root is what a gateway imports: it must match what the app serves.</summary>
public sealed class OpenApiDocumentTests(McpApiFactory factory) : IClassFixture<McpApiFactory>
{
    private static string CommittedPath => Path.Combine(RepositoryRoot.Path, "openapi.yaml");

    [Fact]
    public async Task Openapi_yaml_matches_the_document_the_app_serves()
    {
        using var http = new HttpClient { BaseAddress = factory.BaseAddress };
        var json = await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var served = ToYaml(json);

        // Read before any rewrite: the assertion always compares the committed file with the served document.
        var committed = File.Exists(CommittedPath) ? (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n") : "";
        var update = Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1";
        if (update && committed != served)
        {
            await File.WriteAllTextAsync(CommittedPath, served);
        }

        Assert.True(committed == served, update
            ? "openapi.yaml was out of date with GET /openapi/v1.json and has been rewritten: review the diff and commit it."
            : "openapi.yaml is out of date with GET /openapi/v1.json. Regenerate it with " +
              "`UPDATE_OPENAPI=1 dotnet test Workplace.Tests --filter FullyQualifiedName~OpenApiDocumentTests`, review the diff and commit it.");
    }

    [Fact]
    public async Task The_document_describes_the_tools_facade()
    {
        using var http = new HttpClient { BaseAddress = factory.BaseAddress };
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/mcp/tools", out var list), "GET /mcp/tools is missing from the document.");
        var bearer = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.True(document.RootElement.GetProperty("security")[0].TryGetProperty("bearer", out _), "Every operation must require the bearer scheme.");
        Assert.Equal("ListTools", list.GetProperty("get").GetProperty("operationId").GetString());
        Assert.True(paths.TryGetProperty("/mcp/tools/{name}/call", out var call), "POST /mcp/tools/{name}/call is missing from the document.");
        Assert.Equal("CallTool", call.GetProperty("post").GetProperty("operationId").GetString());
        Assert.False(paths.TryGetProperty("/mcp", out _), "The MCP endpoint itself is not a REST operation and must stay out of the document.");
    }

    // JSON -> YAML through plain objects; strings that YAML would read as numbers or booleans stay quoted.
    public static string ToYaml(string json)
    {
        using var document = JsonDocument.Parse(json);
        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();
        return serializer.Serialize(ToObject(document.RootElement)).ReplaceLineEndings("\n");
    }

    private static object? ToObject(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToObject(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Select(ToObject).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
