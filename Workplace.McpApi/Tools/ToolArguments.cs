using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelContextProtocol;

namespace Workplace.McpApi.Tools;

/// <summary>
/// Reads tool arguments and collects every problem at once, so one tool error tells the agent all it must fix.
/// Messages name the argument, what is allowed and what was sent.
/// </summary>
public sealed partial class ToolArguments(IDictionary<string, JsonElement>? values)
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors => _errors;

    public static IDictionary<string, JsonElement>? FromNode(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return null;
        }
        var element = JsonSerializer.SerializeToElement(obj, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonObject)));
        return FromElement(element);
    }

    public static IDictionary<string, JsonElement>? FromElement(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : null;

    public void RejectUnknown(params string[] known)
    {
        foreach (var name in values?.Keys ?? [])
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                _errors.Add($"unknown argument '{name}' (allowed: {string.Join(", ", known)})");
            }
        }
    }

    public string? Text(string name, int minLength, int maxLength, bool required)
    {
        if (!TryGet(name, out var value))
        {
            if (required)
            {
                _errors.Add($"'{name}' is required: a string of {minLength} to {maxLength} characters");
            }
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            _errors.Add($"'{name}' must be a string of {minLength} to {maxLength} characters (got {Describe(value)})");
            return null;
        }
        var text = value.GetString()!;
        if (text.Length < minLength || text.Length > maxLength)
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"'{name}' must hold {minLength} to {maxLength} characters (got {text.Length})"));
            return null;
        }
        return text;
    }

    public void RejectBlank(string name) => _errors.Add($"'{name}' must contain more than whitespace");

    public int WholeNumber(string name, int defaultValue, int min, int max)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number == Math.Floor(number))
        {
            if (number >= min && number <= max)
            {
                return (int)number;
            }
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"'{name}' must be an integer from {min} to {max} (got {value.GetRawText()})"));
            return defaultValue;
        }
        _errors.Add(string.Create(CultureInfo.InvariantCulture, $"'{name}' must be an integer from {min} to {max} (got {Describe(value)})"));
        return defaultValue;
    }

    public bool Boolean(string name, bool defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        _errors.Add($"'{name}' must be true or false (got {Describe(value)})");
        return defaultValue;
    }

    public IReadOnlyList<string>? StringSet(string name, int maxItems, IReadOnlyList<string> allowed)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        var allowedText = string.Join(", ", allowed);
        if (value.ValueKind != JsonValueKind.Array)
        {
            _errors.Add($"'{name}' must be an array of up to {maxItems} of: {allowedText} (got {Describe(value)})");
            return null;
        }
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !allowed.Contains(item.GetString()!, StringComparer.Ordinal))
            {
                _errors.Add($"'{name}' may hold only: {allowedText} (got {Truncate(item.GetRawText())})");
                return null;
            }
            if (!items.Contains(item.GetString()!, StringComparer.Ordinal))
            {
                items.Add(item.GetString()!);
            }
        }
        if (items.Count == 0 || value.GetArrayLength() > maxItems)
        {
            _errors.Add(string.Create(CultureInfo.InvariantCulture, $"'{name}' must name 1 to {maxItems} sources from: {allowedText}; omit it to search every source you may read"));
            return null;
        }
        return items;
    }

    public DateTimeOffset? Timestamp(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.String && Rfc3339().IsMatch(value.GetString()!)
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            return timestamp;
        }
        _errors.Add($"'{name}' must be an RFC 3339 date-time such as 2026-01-31T00:00:00Z (got {Describe(value)})");
        return null;
    }

    private bool TryGet(string name, out JsonElement value)
    {
        if (values is not null && values.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        value = default;
        return false;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {Truncate(value.GetRawText())}",
        JsonValueKind.Number => $"the number {Truncate(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "…";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant, 200)]
    private static partial Regex Rfc3339();
}
