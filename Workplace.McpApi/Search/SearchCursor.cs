using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Workplace.McpApi.Search;

/// <summary>A cursor that could not be used: the message says why and what to do.</summary>
public sealed class SearchCursorException(string message) : Exception(message);

/// <summary>Where a page ends in the ranked list: the last result's score and id, the list's order (score down, id up).</summary>
public readonly record struct SearchPosition(double Score, string Id)
{
    /// <summary>True when <paramref name="score"/> and <paramref name="id"/> come after this position in the ranked order.</summary>
    public bool IsBefore(double score, string id) => score < Score || (score == Score && string.CompareOrdinal(id, Id) > 0);
}

/// <summary>
/// Opaque, tamper-proof cursors for search pages: base64url of DataProtection-sealed text naming the search (its cache
/// key, which holds the user and the normalized arguments) and the position after which the next page starts. A keyset
/// (score, id) rather than an offset, so a search run again after its cached list expired never repeats what the
/// agent has seen; the answer to a cursor of another user or query is a clear tool error.
/// </summary>
public sealed class SearchCursor(IDataProtectionProvider protection)
{
    /// <summary>The longest cursor accepted: a sealed payload of a 64-character key, a score and an id of up to 512 characters is far shorter.</summary>
    public const int MaxLength = 2048;

    private readonly IDataProtector _protector = protection.CreateProtector("Workplace.McpApi.Search.Cursor.v1");

    public string Create(string searchKey, SearchPosition after)
    {
        var payload = string.Join('\n', searchKey, after.Score.ToString("R", CultureInfo.InvariantCulture), after.Id);
        return Base64Url.EncodeToString(_protector.Protect(Encoding.UTF8.GetBytes(payload)));
    }

    /// <summary>The position <paramref name="cursor"/> names in the search <paramref name="searchKey"/>.</summary>
    /// <exception cref="SearchCursorException">The cursor was altered, or belongs to another search or user.</exception>
    public SearchPosition Read(string cursor, string searchKey)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(_protector.Unprotect(Base64Url.DecodeFromChars(cursor))).Split('\n', 3);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new SearchCursorException("'cursor' is not a cursor this server issued (it was changed or cut). Pass next_cursor exactly as the previous search returned it, or search again without a cursor.");
        }
        if (parts.Length != 3 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
        {
            throw new SearchCursorException("'cursor' is not a cursor this server issued. Pass next_cursor exactly as the previous search returned it.");
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(parts[0]), Encoding.UTF8.GetBytes(searchKey)))
        {
            throw new SearchCursorException("'cursor' belongs to another search: it continues only the search (same caller, query, sources and modified_after) that returned it. Repeat that search's arguments with the cursor, or search again without one.");
        }
        return new SearchPosition(score, parts[2]);
    }
}
