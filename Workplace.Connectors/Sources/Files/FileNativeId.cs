using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;

namespace Workplace.Connectors.Sources.Files;

/// <summary>
/// The native part of a `files:` id: the document's path relative to the root, '/'-separated, UTF-8, base64url
/// without padding. Decoding is strict: anything that could name a place outside the root is refused, even
/// though fetches are served from the index and never open a path taken from an id.
/// </summary>
public static partial class FileNativeId
{
    /// <summary>
    /// The longest relative path, in UTF-8 bytes, an id may carry: "files:" plus its base64url stays within the
    /// 512 characters the edge accepts for any document id (Workplace.McpApi DocumentIds.MaxLength).
    /// </summary>
    public const int MaxPathBytes = 378;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Encode(string relativePath) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(relativePath));

    /// <returns>The relative path, or null (with the reason) when the id is malformed or hostile.</returns>
    public static string? TryDecode(string native, out string reason)
    {
        if (native.Length == 0)
        {
            reason = "the part after 'files:' is empty";
            return null;
        }
        if (native.Length > Base64Url.GetEncodedLength(MaxPathBytes))
        {
            reason = "it is longer than any id this source issues";
            return null;
        }
        if (!Base64UrlAlphabet().IsMatch(native) || native.Length % 4 == 1)
        {
            reason = "the part after 'files:' is not unpadded base64url";
            return null;
        }
        string path;
        try
        {
            path = s_strictUtf8.GetString(Base64Url.DecodeFromChars(native));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            reason = "the part after 'files:' does not decode to a UTF-8 path";
            return null;
        }
        reason = CheckRelativePath(path) ?? "";
        return reason.Length == 0 ? path : null;
    }

    /// <returns>Why <paramref name="path"/> is not a safe root-relative path, or null when it is.</returns>
    public static string? CheckRelativePath(string path)
    {
        if (path.Length == 0)
        {
            return "the path is empty";
        }
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            return $"the path is longer than {MaxPathBytes} bytes";
        }
        if (path.Any(char.IsControl))
        {
            return "the path holds control characters";
        }
        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return "the path holds a backslash";
        }
        if (path[0] == '/' || Path.IsPathRooted(path) || DriveLetter().IsMatch(path))
        {
            return "the path is absolute";
        }
        if (PercentEscape().IsMatch(path))
        {
            return "the path holds percent-encoding";
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return "the path holds an empty, '.' or '..' segment";
            }
        }
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Base64UrlAlphabet();

    [GeneratedRegex("^[A-Za-z]:")]
    private static partial Regex DriveLetter();

    [GeneratedRegex("%[0-9A-Fa-f]{2}")]
    private static partial Regex PercentEscape();
}
