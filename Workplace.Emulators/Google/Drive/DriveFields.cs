using System.Text.Json.Nodes;

namespace Workplace.Emulators.Google.Drive;

/// <summary>
/// A partial-response selection (the <c>fields</c> parameter): <c>nextPageToken,files(id,name,owners(emailAddress))</c>,
/// <c>files/id</c>, <c>*</c>. Applied to the full resource, it keeps only what was asked for, as Google does.
/// </summary>
public sealed class DriveFields
{
    private readonly Dictionary<string, DriveFields?> _children = new(StringComparer.Ordinal);

    private DriveFields()
    {
    }

    /// <summary>The selection, or null when it is not well-formed.</summary>
    public static DriveFields? Parse(string fields)
    {
        var at = 0;
        var selection = new DriveFields();
        return selection.ParseList(fields, ref at) && at == fields.Length ? selection : null;
    }

    /// <summary>The first selected name the resource does not have at the top level, if any (Google: 400 "Invalid field selection").</summary>
    public string? UnknownField(IReadOnlySet<string> known) => _children.Keys.FirstOrDefault(k => k != "*" && !known.Contains(k));

    /// <summary>The selection inside <paramref name="name"/> (e.g. <c>files</c>), or null when all of it is selected.</summary>
    public DriveFields? Inner(string name) => _children.GetValueOrDefault(name);

    public JsonObject Apply(JsonObject resource)
    {
        if (_children.ContainsKey("*") && _children.Count == 1)
        {
            return resource;
        }
        var kept = new JsonObject();
        foreach (var (name, value) in resource)
        {
            if (!_children.TryGetValue(name, out var inner) && !_children.ContainsKey("*"))
            {
                continue;
            }
            kept[name] = (inner, value) switch
            {
                (null, _) or (_, null) => value?.DeepClone(),
                (_, JsonObject child) => inner.Apply(child),
                (_, JsonArray items) => new JsonArray(items.Select(item => item is JsonObject child ? inner.Apply(child) : item?.DeepClone()).ToArray()),
                _ => value.DeepClone(),
            };
        }
        return kept;
    }

    private bool ParseList(string text, ref int at)
    {
        do
        {
            if (at < text.Length && text[at] == ',')
            {
                at++;
            }
            while (at < text.Length && text[at] == ' ')
            {
                at++;
            }
            var start = at;
            while (at < text.Length && text[at] is not (',' or '(' or ')' or '/'))
            {
                at++;
            }
            var name = text[start..at].Trim();
            if (name.Length == 0)
            {
                return false;
            }
            DriveFields? inner = null;
            if (at < text.Length && text[at] is '(' or '/')
            {
                var nested = text[at] == '(';
                at++;
                inner = _children.GetValueOrDefault(name) ?? new DriveFields();
                if (nested)
                {
                    if (!inner.ParseList(text, ref at) || at >= text.Length || text[at] != ')')
                    {
                        return false;
                    }
                    at++;
                }
                else
                {
                    // a/b/c selects one path: parse one segment, which may itself be a path.
                    var end = at;
                    while (end < text.Length && text[end] is not (',' or ')'))
                    {
                        end++;
                    }
                    var path = text[at..end];
                    var pathAt = 0;
                    if (!inner.ParseList(path, ref pathAt) || pathAt != path.Length)
                    {
                        return false;
                    }
                    at = end;
                }
            }
            // A name selected whole stays whole; otherwise nested selections of one name merge.
            if (!_children.TryGetValue(name, out var existing) || existing is not null)
            {
                _children[name] = inner;
            }
        }
        while (at < text.Length && text[at] == ',');
        return true;
    }
}
