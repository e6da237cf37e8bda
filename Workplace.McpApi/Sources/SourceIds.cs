namespace Workplace.McpApi.Sources;

/// <summary>The sources this server knows, and the scope that grants each (ARCHITECTURE.md, Scopes).</summary>
public static class SourceIds
{
    public const string GoogleDrive = "google_drive";
    public const string Notion = "notion";
    public const string SharePoint = "sharepoint";
    public const string Files = "files";

    public static IReadOnlyList<string> All { get; } = [GoogleDrive, Notion, SharePoint, Files];

    public static string ReadScope(string source) => $"workplace:read:{source}";
}
