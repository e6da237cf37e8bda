using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace Workplace.McpApi.Mcp;

/// <summary>
/// SEP-2243 custom headers: a tool parameter whose schema carries <c>"x-mcp-header": "Name"</c> is mirrored by the
/// client in <c>Mcp-Param-Name</c> so intermediaries can route on it; the server must refuse a request whose header
/// is missing, malformed or disagrees with the body, or the routing and the call could diverge.
/// </summary>
internal static class ParamHeaders
{
    public const string Prefix = "Mcp-Param-";

    /// <returns>Null when every annotated parameter's header agrees with the body; otherwise the problem.</returns>
    public static string? Check(IHeaderDictionary headers, JsonElement inputSchema, JsonNode? arguments)
    {
        if (inputSchema.ValueKind != JsonValueKind.Object || !inputSchema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var property in properties.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var argument = (arguments as JsonObject)?[property.Name];
            if (Check(headers, property.Value, argument) is { } nested)
            {
                return nested;
            }
            if (!property.Value.TryGetProperty("x-mcp-header", out var nameElement) || nameElement.GetString() is not { Length: > 0 } name)
            {
                continue;
            }

            var header = Prefix + name;
            var present = argument is not null && argument.GetValueKind() != JsonValueKind.Null;
            if (!headers.TryGetValue(header, out var raw))
            {
                // A null or absent argument has no header (SEP-2243); a present one must.
                if (present)
                {
                    return $"Missing {header} header: parameter '{property.Name}' is sent in the body, so send its value in {header} too.";
                }
                continue;
            }
            var text = raw.ToString().Trim();
            if (text.Any(c => c is not ('\t' or (>= ' ' and <= '~'))))
            {
                return $"Header mismatch: {header} holds characters a header may not carry. Encode non-ASCII values as =?base64?…?=.";
            }
            if (McpHeaderEncoder.DecodeValue(text) is not { } decoded)
            {
                return $"Header mismatch: {header} is not valid base64 inside =?base64?…?=.";
            }
            if (present && McpHeaderEncoder.ConvertToHeaderValue(argument!) is { } expectedRaw
                && !Same(decoded, McpHeaderEncoder.DecodeValue(expectedRaw), IsInteger(property.Value)))
            {
                return $"Header mismatch: {header} differs from the body's '{property.Name}'. Send the same value in both.";
            }
        }
        return null;
    }

    private static bool IsInteger(JsonElement schema) =>
        schema.TryGetProperty("type", out var type)
        && (type.ValueKind == JsonValueKind.String ? type.ValueEquals("integer") : type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(t => t.ValueEquals("integer")));

    // Integers compare by value ("42" and "42.0" agree) and must stay within JavaScript's safe range (SEP-2243).
    private static bool Same(string actual, string? expected, bool integer)
    {
        const double MaxSafe = 9007199254740991;
        if (integer && expected is not null
            && double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var e))
        {
            return Math.Abs(a) <= MaxSafe && Math.Abs(e) <= MaxSafe && a == Math.Floor(a) && a == e;
        }
        return string.Equals(actual, expected, StringComparison.Ordinal);
    }
}
