using System.Text.RegularExpressions;

namespace Workplace.Connectors.Sources.GoogleDrive;

/// <summary>
/// The native part of a `google_drive:` id: Drive's own file id. Drive ids are letters, digits, '-' and '_' (about
/// 33 characters for files, 19 for shared drives); anything else is refused before a URL is built from it.
/// </summary>
public static partial class DriveFileId
{
    public const int MaxLength = 128;

    public static bool IsValid(string native) => native.Length is > 0 and <= MaxLength && Alphabet().IsMatch(native);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Alphabet();
}
