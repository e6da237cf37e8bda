using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Workplace.McpApi.Sources;

namespace Workplace.McpApi.Tools;

/// <summary>
/// Document ids are opaque, URL-safe <c>{source}:{native id}</c> strings minted by connectors. The edge checks only
/// their shape, so that traversal strings, control characters and oversized ids never reach a connector.
/// </summary>
public static partial class DocumentIds
{
    public const int MaxLength = 512;
    public const string UriPrefix = "workplace://documents/";
    public const string UriTemplate = "workplace://documents/{source}/{id}";

    public static bool TryParse(string? id, [NotNullWhen(true)] out string? source)
    {
        source = null;
        if (id is null || id.Length > MaxLength || !Shape().IsMatch(id))
        {
            return false;
        }
        var candidate = id[..id.IndexOf(':', StringComparison.Ordinal)];
        if (!SourceIds.All.Contains(candidate, StringComparer.Ordinal))
        {
            return false;
        }
        source = candidate;
        return true;
    }

    public static string SourceOf(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? id[..colon] : string.Empty;
    }

    public static string ToUri(string source, string id) => $"{UriPrefix}{source}/{Uri.EscapeDataString(id)}";

    /// <returns>False unless <paramref name="uri"/> is <c>workplace://documents/{source}/{id}</c> with a well-formed id of that source.</returns>
    public static bool TryParseUri(string? uri, [NotNullWhen(true)] out string? source, [NotNullWhen(true)] out string? id)
    {
        source = null;
        id = null;
        if (uri is null || uri.Length > MaxLength * 4 || !uri.StartsWith(UriPrefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = uri[UriPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }
        var pathSource = rest[..slash];
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(rest[(slash + 1)..]);
        }
        catch (UriFormatException)
        {
            return false;
        }
        if (!TryParse(decoded, out var idSource) || !string.Equals(idSource, pathSource, StringComparison.Ordinal))
        {
            return false;
        }
        source = idSource;
        id = decoded;
        return true;
    }

    // Source prefix, a colon, then URL-safe characters only (RFC 3986 unreserved, plus ':' and '!' some providers use).
    [GeneratedRegex(@"^[a-z_]{1,32}:[A-Za-z0-9\-._~:!]{1,480}$", RegexOptions.CultureInvariant, 200)]
    private static partial Regex Shape();
}
