namespace Workplace.Tests.Infrastructure;

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Tools => System.IO.Path.Combine(Path, ".tools");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Workplace.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Workplace.sln not found above {AppContext.BaseDirectory}.");
    }
}
