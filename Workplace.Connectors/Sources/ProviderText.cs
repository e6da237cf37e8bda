namespace Workplace.Connectors.Sources;

/// <summary>Names and titles as a provider gives them: text of its users, shown to a client as one line.</summary>
public static class ProviderText
{
    /// <summary>
    /// Drops control characters (a bell, a newline, an escape) and the bidirectional overrides and isolates that would
    /// make "exe.txt" read as "txt.exe", so a title can neither break the line nor disguise its extension.
    /// </summary>
    public static string Title(string? name)
    {
        var clean = new string([.. (name ?? "").Where(c => !char.IsControl(c) && !IsBidiControl(c))]).Trim();
        return clean.Length == 0 ? "(untitled)" : clean;
    }

    private static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';
}
