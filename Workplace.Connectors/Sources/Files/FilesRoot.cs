namespace Workplace.Connectors.Sources.Files;

public static class FilesRoot
{
    /// <summary>
    /// An absolute root stays as given; a relative one resolves against the repository root (the nearest folder
    /// above <paramref name="contentRoot"/> holding Workplace.sln) so `dotnet run` from the repo finds
    /// samples/workspace, else against the content root.
    /// </summary>
    public static string Resolve(string configured, string contentRoot)
    {
        if (Path.IsPathFullyQualified(configured))
        {
            return Path.GetFullPath(configured);
        }
        for (var folder = new DirectoryInfo(contentRoot); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Workplace.sln")))
            {
                return Path.GetFullPath(Path.Combine(folder.FullName, configured));
            }
        }
        return Path.GetFullPath(Path.Combine(contentRoot, configured));
    }
}
