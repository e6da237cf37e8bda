using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workplace.Emulators.Notion;

/// <summary>
/// The part of the data source query language the sample database needs: <c>and</c>/<c>or</c>; <c>title</c> and
/// <c>rich_text</c> (<c>equals</c>, <c>contains</c>); <c>multi_select</c> (<c>contains</c>); <c>date</c> and the
/// <c>last_edited_time</c> timestamp (<c>equals</c>, <c>before</c>, <c>after</c>, <c>on_or_before</c>, <c>on_or_after</c>).
/// </summary>
public static class DataSourceFilter
{
    /// <summary>The predicate of a filter (none: every row); null when the filter is not one this emulator answers.</summary>
    public static Func<NotionPage, bool>? Compile(JsonNode? filter)
    {
        if (filter is null)
        {
            return _ => true;
        }
        if (filter is not JsonObject condition)
        {
            return null;
        }
        if (condition["and"] is JsonArray all)
        {
            var parts = all.Select(Compile).ToList();
            return parts.Any(p => p is null) ? null : row => parts.All(p => p!(row));
        }
        if (condition["or"] is JsonArray any)
        {
            var parts = any.Select(Compile).ToList();
            return parts.Any(p => p is null) ? null : row => parts.Any(p => p!(row));
        }
        if (Text(condition["timestamp"]) == "last_edited_time")
        {
            return DateCondition(condition["last_edited_time"], row => DateOnly.FromDateTime(row.Edited.UtcDateTime));
        }
        return Text(condition["property"]) switch
        {
            "Name" => TextCondition(condition["title"], row => row.Title),
            "Tags" when Text(condition["multi_select"]?["contains"]) is { } tag => row => row.Tags.Contains(tag, StringComparer.Ordinal),
            "Date" => DateCondition(condition["date"], row => row.Date),
            _ => null,
        };
    }

    /// <summary>The ordering of <c>sorts</c> (none: newest edit first); null when it is not one this emulator answers.</summary>
    public static Func<IEnumerable<NotionPage>, IEnumerable<NotionPage>>? Sort(JsonNode? sorts)
    {
        if (sorts is null)
        {
            return rows => rows.OrderByDescending(r => r.Edited).ThenBy(r => r.Id);
        }
        if (sorts is not JsonArray { Count: 1 } list || list[0] is not JsonObject sort || Text(sort["direction"]) is not ("ascending" or "descending") and var direction)
        {
            return null;
        }
        Func<NotionPage, IComparable?>? key = (Text(sort["timestamp"]), Text(sort["property"])) switch
        {
            ("last_edited_time", null) => r => r.Edited,
            ("created_time", null) => r => r.Created,
            (null, "Date") => r => r.Date,
            (null, "Name") => r => r.Title,
            _ => null,
        };
        if (key is null)
        {
            return null;
        }
        return Text(sort["direction"]) == "ascending"
            ? rows => rows.OrderBy(key).ThenBy(r => r.Id)
            : rows => rows.OrderByDescending(key).ThenBy(r => r.Id);
    }

    private static Func<NotionPage, bool>? TextCondition(JsonNode? condition, Func<NotionPage, string> value) =>
        Text(condition?["equals"]) is { } equal ? row => string.Equals(value(row), equal, StringComparison.Ordinal)
        : Text(condition?["contains"]) is { } part ? row => value(row).Contains(part, StringComparison.OrdinalIgnoreCase)
        : null;

    private static Func<NotionPage, bool>? DateCondition(JsonNode? condition, Func<NotionPage, DateOnly?> value)
    {
        if (condition is not JsonObject { Count: 1 } single)
        {
            return null;
        }
        var (op, operand) = single.First();
        if (Text(operand) is not { } text || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return null;
        }
        var date = DateOnly.FromDateTime(parsed.UtcDateTime);
        Func<DateOnly, bool>? test = op switch
        {
            "equals" => d => d == date,
            "before" => d => d < date,
            "after" => d => d > date,
            "on_or_before" => d => d <= date,
            "on_or_after" => d => d >= date,
            _ => null,
        };
        return test is null ? null : row => value(row) is { } d && test(d);
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
