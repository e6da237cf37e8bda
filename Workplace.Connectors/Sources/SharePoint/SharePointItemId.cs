using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Workplace.Connectors.Sources.SharePoint;

/// <summary>
/// The native part of a `sharepoint:` id: `{driveId}~{itemId}`, the two ids Graph needs to address an item in any
/// OneDrive or site (`/drives/{driveId}/items/{itemId}`). Graph's ids are base64url-like with '!' (`b!…` drive ids,
/// `01…` or `…!123` item ids) and never hold '~', so the separator is unambiguous and the id stays URL-safe. Both parts
/// are checked against that alphabet before any call, so an id cannot steer a request to another path.
/// </summary>
public static partial class SharePointItemId
{
    public const char Separator = '~';

    /// <summary>Longer than any id Graph issues; short enough that the whole document id stays within the edge's 512 characters.</summary>
    public const int MaxPartLength = 200;

    public static string Encode(string driveId, string itemId) => $"{driveId}{Separator}{itemId}";

    /// <summary>Whether <paramref name="id"/> (a drive or item id Graph answered) can be carried in a document id.</summary>
    public static bool IsCarriable([NotNullWhen(true)] string? id) => id is { Length: > 0 and <= MaxPartLength } && GraphId().IsMatch(id);

    public static bool TryDecode(string native, [NotNullWhen(true)] out string? driveId, [NotNullWhen(true)] out string? itemId, out string reason)
    {
        driveId = itemId = null;
        var separator = native.IndexOf(Separator, StringComparison.Ordinal);
        if (separator < 0 || separator != native.LastIndexOf(Separator))
        {
            reason = $"the part after 'sharepoint:' is not '{{drive id}}{Separator}{{item id}}'";
            return false;
        }
        var drive = native[..separator];
        var item = native[(separator + 1)..];
        if (!IsCarriable(drive) || !IsCarriable(item))
        {
            reason = $"a drive or item id is empty, longer than {MaxPartLength} characters, or holds characters Graph ids never hold";
            return false;
        }
        (driveId, itemId, reason) = (drive, item, "");
        return true;
    }

    [GeneratedRegex("^[A-Za-z0-9!_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex GraphId();
}
