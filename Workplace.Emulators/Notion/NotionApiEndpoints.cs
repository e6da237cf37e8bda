using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Notion;

/// <summary>The read side of the Notion API that a search connector uses, each answer limited to what the caller sees.</summary>
public static class NotionApiEndpoints
{
    private const int MaxPageSize = 100;

    public static RouteGroupBuilder MapNotionApi(this RouteGroupBuilder api)
    {
        api.MapPost("/search", Search);
        api.MapGet("/pages/{pageId}", RetrievePage);
        api.MapGet("/blocks/{blockId}", RetrieveBlock);
        api.MapGet("/blocks/{blockId}/children", ListChildren);
        api.MapGet("/databases/{databaseId}", RetrieveDatabase);
        api.MapGet("/data_sources/{dataSourceId}", RetrieveDataSource);
        api.MapPost("/data_sources/{dataSourceId}/query", QueryDataSource);
        api.MapGet("/users/me", (HttpContext http) => NotionResults.Json(NotionObjects.Bot(http.Caller())));
        api.MapGet("/users/{userId}", RetrieveUser);
        return api;
    }

    /// <summary>Reads a JSON object body; an empty body is an empty object, anything else that is not an object is null.</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (text.Trim().Length == 0)
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<IResult> Search(HttpContext http, NotionWorkspace workspace)
    {
        if (await ReadObjectAsync(http.Request) is not { } body)
        {
            return NotionResults.InvalidJson();
        }
        var user = http.Caller().User;
        if (OptionalString(body, "query", out var query) is { } queryError)
        {
            return queryError;
        }
        string? objectFilter = null;
        if (body["filter"] is { } filter)
        {
            if (filter["property"]?.GetValueKind() != JsonValueKind.String || filter["property"]!.GetValue<string>() != "object")
            {
                return NotionResults.Validation("body failed validation: body.filter.property should be `\"object\"`.");
            }
            objectFilter = filter["value"]?.GetValueKind() == JsonValueKind.String ? filter["value"]!.GetValue<string>() : null;
            if (objectFilter is not ("page" or "data_source"))
            {
                return NotionResults.Validation($"body failed validation: body.filter.value should be either `\"page\"` or `\"data_source\"`, instead was `{filter["value"]?.ToJsonString() ?? "undefined"}`.");
            }
        }
        var descending = true;
        if (body["sort"] is { } sort)
        {
            if (sort["timestamp"]?.GetValueKind() != JsonValueKind.String || sort["timestamp"]!.GetValue<string>() != "last_edited_time")
            {
                return NotionResults.Validation("body failed validation: body.sort.timestamp should be `\"last_edited_time\"`.");
            }
            var direction = sort["direction"]?.GetValueKind() == JsonValueKind.String ? sort["direction"]!.GetValue<string>() : null;
            if (direction is not ("ascending" or "descending"))
            {
                return NotionResults.Validation("body failed validation: body.sort.direction should be either `\"ascending\"` or `\"descending\"`.");
            }
            descending = direction == "descending";
        }
        if (BodyPaging(body, out var cursor, out var size) is { } pagingError)
        {
            return pagingError;
        }

        var terms = (query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Matches(string title) => terms.All(t => title.Contains(t, StringComparison.OrdinalIgnoreCase));
        var hits = new List<(Guid Id, DateTimeOffset Edited, Func<JsonObject> Render)>();
        if (objectFilter is null or "page")
        {
            hits.AddRange(workspace.Pages.Where(p => p.Readers.Contains(user) && Matches(p.Title)).Select(p => (p.Id, p.Edited, (Func<JsonObject>)(() => NotionObjects.Page(p)))));
        }
        if (objectFilter is null or "data_source")
        {
            hits.AddRange(workspace.Databases.Where(d => d.Readers.Contains(user) && Matches(d.Title)).Select(d => (d.DataSourceId, d.Edited, (Func<JsonObject>)(() => NotionObjects.DataSource(d)))));
        }
        var ordered = (descending ? hits.OrderByDescending(h => h.Edited).ThenByDescending(h => h.Id) : hits.OrderBy(h => h.Edited).ThenBy(h => h.Id)).ToList();
        return Paged(ordered, h => h.Id, h => h.Render(), cursor, size, "page_or_data_source", "body");
    }

    private static IResult RetrievePage(string pageId, HttpContext http, NotionWorkspace workspace)
    {
        if (ParseId(pageId) is not { } id)
        {
            return InvalidId("page_id", pageId);
        }
        return workspace.FindPage(id) is { } page && page.Readers.Contains(http.Caller().User)
            ? NotionResults.Json(NotionObjects.Page(page))
            : NotionResults.NotFound("page", NotionObjects.Id(id));
    }

    private static IResult RetrieveBlock(string blockId, HttpContext http, NotionWorkspace workspace)
    {
        if (ParseId(blockId) is not { } id)
        {
            return InvalidId("block_id", blockId);
        }
        var user = http.Caller().User;
        if (workspace.FindBlock(id) is { } block && block.Page.Readers.Contains(user))
        {
            return NotionResults.Json(NotionObjects.Block(block));
        }
        return workspace.FindPage(id) is { } page && page.Readers.Contains(user)
            ? NotionResults.Json(NotionObjects.PageAsBlock(page))
            : NotionResults.NotFound("block", NotionObjects.Id(id));
    }

    private static IResult ListChildren(string blockId, HttpContext http, NotionWorkspace workspace, ContentReads reads)
    {
        reads.Count(NotionOAuth.Provider);
        if (ParseId(blockId) is not { } id)
        {
            return InvalidId("block_id", blockId);
        }
        if (QueryPaging(http.Request, out var cursor, out var size) is { } pagingError)
        {
            return pagingError;
        }
        var user = http.Caller().User;
        IReadOnlyList<NotionBlock>? children = workspace.FindPage(id) is { } page && page.Readers.Contains(user) ? page.Blocks
            : workspace.FindBlock(id) is { } block && block.Page.Readers.Contains(user) ? block.Children
            : null;
        return children is null
            ? NotionResults.NotFound("block", NotionObjects.Id(id))
            : Paged(children, b => b.Id, NotionObjects.Block, cursor, size, "block", "query");
    }

    private static IResult RetrieveDatabase(string databaseId, HttpContext http, NotionWorkspace workspace)
    {
        if (ParseId(databaseId) is not { } id)
        {
            return InvalidId("database_id", databaseId);
        }
        return workspace.FindDatabase(id) is { } database && database.Readers.Contains(http.Caller().User)
            ? NotionResults.Json(NotionObjects.Database(database))
            : NotionResults.NotFound("database", NotionObjects.Id(id));
    }

    private static IResult RetrieveDataSource(string dataSourceId, HttpContext http, NotionWorkspace workspace)
    {
        if (ParseId(dataSourceId) is not { } id)
        {
            return InvalidId("data_source_id", dataSourceId);
        }
        return workspace.FindDataSource(id) is { } database && database.Readers.Contains(http.Caller().User)
            ? NotionResults.Json(NotionObjects.DataSource(database))
            : NotionResults.NotFound("data_source", NotionObjects.Id(id));
    }

    private static IResult RetrieveUser(string userId)
    {
        if (ParseId(userId) is not { } id)
        {
            return InvalidId("user_id", userId);
        }
        return EmulatedUsers.All.FirstOrDefault(u => NotionWorkspace.UserId(u.Id) == id) is { } user
            ? NotionResults.Json(NotionObjects.Person(user))
            : NotionResults.NotFound("user", NotionObjects.Id(id));
    }

    private static async Task<IResult> QueryDataSource(string dataSourceId, HttpContext http, NotionWorkspace workspace)
    {
        if (ParseId(dataSourceId) is not { } id)
        {
            return InvalidId("data_source_id", dataSourceId);
        }
        if (await ReadObjectAsync(http.Request) is not { } body)
        {
            return NotionResults.InvalidJson();
        }
        if (workspace.FindDataSource(id) is not { } database || !database.Readers.Contains(http.Caller().User))
        {
            return NotionResults.NotFound("data_source", NotionObjects.Id(id));
        }
        if (BodyPaging(body, out var cursor, out var size) is { } pagingError)
        {
            return pagingError;
        }
        if (DataSourceFilter.Compile(body["filter"]) is not { } filter)
        {
            return NotionResults.Validation("body failed validation: body.filter is not a filter this emulator answers (title, rich_text, multi_select, date and last_edited_time conditions, and/or).");
        }
        if (DataSourceFilter.Sort(body["sorts"]) is not { } sort)
        {
            return NotionResults.Validation("body failed validation: body.sorts should be an array of {timestamp|property, direction}.");
        }
        var rows = sort(database.Rows.Where(filter)).ToList();
        return Paged(rows, r => r.Id, NotionObjects.Page, cursor, size, "page_or_data_source", "body");
    }

    private static IResult Paged<T>(IReadOnlyList<T> items, Func<T, Guid> idOf, Func<T, JsonObject> render, string? cursor, int size, string type, string where)
    {
        var start = 0;
        if (cursor is not null)
        {
            start = Guid.TryParse(cursor, out var after) ? items.Select(idOf).ToList().IndexOf(after) : -1;
            if (start < 0)
            {
                return NotionResults.Validation($"{where} failed validation: {where}.start_cursor should be a cursor this endpoint returned, instead was `\"{cursor}\"`.");
            }
        }
        var page = items.Skip(start).Take(size).ToList();
        var next = start + size < items.Count ? NotionObjects.Id(idOf(items[start + size])) : null;
        return NotionResults.Json(NotionObjects.List(page.Select(i => (JsonNode)render(i)), next, type));
    }

    private static IResult? BodyPaging(JsonObject body, out string? cursor, out int size)
    {
        size = MaxPageSize;
        if (OptionalString(body, "start_cursor", out cursor) is { } cursorError)
        {
            return cursorError;
        }
        if (body["page_size"] is not { } pageSize)
        {
            return null;
        }
        if (pageSize.GetValueKind() != JsonValueKind.Number || !pageSize.AsValue().TryGetValue<int>(out size))
        {
            return NotionResults.Validation($"body failed validation: body.page_size should be a number, instead was `{pageSize.ToJsonString()}`.");
        }
        return PageSizeInRange(size, "body");
    }

    private static IResult? QueryPaging(HttpRequest request, out string? cursor, out int size)
    {
        size = MaxPageSize;
        cursor = request.Query["start_cursor"].FirstOrDefault() is { Length: > 0 } value ? value : null;
        if (request.Query["page_size"].FirstOrDefault() is not { } pageSize)
        {
            return null;
        }
        if (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size))
        {
            return NotionResults.Validation($"query failed validation: query.page_size should be a number, instead was `\"{pageSize}\"`.");
        }
        return PageSizeInRange(size, "query");
    }

    private static IResult? PageSizeInRange(int size, string where) => size switch
    {
        < 1 => NotionResults.Validation($"{where} failed validation: {where}.page_size should be ≥ `1`, instead was `{size}`."),
        > MaxPageSize => NotionResults.Validation($"{where} failed validation: {where}.page_size should be ≤ `{MaxPageSize}`, instead was `{size}`."),
        _ => null,
    };

    private static IResult? OptionalString(JsonObject body, string name, out string? value)
    {
        value = null;
        if (body[name] is not { } node)
        {
            return null;
        }
        if (node.GetValueKind() != JsonValueKind.String)
        {
            return NotionResults.Validation($"body failed validation: body.{name} should be a string, instead was `{node.ToJsonString()}`.");
        }
        value = node.GetValue<string>();
        return null;
    }

    /// <summary>Notion takes ids with or without dashes.</summary>
    private static Guid? ParseId(string value) =>
        Guid.TryParseExact(value, "D", out var id) || Guid.TryParseExact(value, "N", out id) ? id : null;

    private static IResult InvalidId(string name, string value) =>
        NotionResults.Validation($"path failed validation: path.{name} should be a valid uuid, instead was `\"{value}\"`.");
}
