using System.Reflection;

namespace Workplace.AppHost;

/// <summary>Paths MSBuild baked into this assembly (see WorkplaceServicePaths in the csproj).</summary>
public static class ProjectPaths
{
    private static readonly Dictionary<string, string> s_metadata = typeof(ProjectPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Value is not null)
        .ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal);

    /// <summary>The folder holding Workplace.sln.</summary>
    public static string RepositoryRoot => Get("Workplace.RepositoryRoot");

    /// <summary>The built entry assembly of a service project, e.g. <c>Workplace.Connectors</c>.</summary>
    public static string ServiceAssembly(string project)
    {
        var path = Get($"Workplace.Service:{project}");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{project} is not built at {path}. Build the graph first: dotnet build Workplace.AppHost (the same configuration you run).",
                path);
        }
        return path;
    }

    private static string Get(string key) => s_metadata.TryGetValue(key, out var value)
        ? value
        : throw new InvalidOperationException($"Assembly metadata {key} is missing from Workplace.AppHost: rebuild it with dotnet build Workplace.AppHost.");
}
