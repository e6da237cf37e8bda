namespace Workplace.Tests.Infrastructure;

/// <summary>Where the build put a project's entry assembly, for tests that start it as its own process.</summary>
public static class BuiltProject
{
    // UseArtifactsOutput: artifacts/bin/<Project>/<configuration>/, the same configuration as this test assembly.
    public static string Assembly(string project)
    {
        var testBin = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var path = Path.GetFullPath(Path.Combine(testBin, "..", "..", project, Path.GetFileName(testBin), project + ".dll"));
        Assert.True(File.Exists(path), $"{path} is missing: build the solution first.");
        return path;
    }
}
