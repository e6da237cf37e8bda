using System.Globalization;
using System.Text.Json.Nodes;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Notion;

/// <summary>The workspace's objects on the wire, as API version 2025-09-03 shapes them (snake_case, ids with dashes).</summary>
public static class NotionObjects
{
    public static string Id(Guid id) => id.ToString("D");

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static JsonObject User(string user) => new() { ["object"] = "user", ["id"] = Id(NotionWorkspace.UserId(user)) };

    /// <summary>A person of the workspace, with the email that the "read user information including email" capability gives.</summary>
    public static JsonObject Person(EmulatedUser user) => new()
    {
        ["object"] = "user",
        ["id"] = Id(NotionWorkspace.UserId(user.Id)),
        ["name"] = user.Name,
        ["avatar_url"] = null,
        ["type"] = "person",
        ["person"] = new JsonObject { ["email"] = user.Email },
    };

    /// <summary>The integration's bot user of one grant (<c>GET /users/me</c>), owned by the person who granted it.</summary>
    public static JsonObject Bot(NotionCaller caller) => new()
    {
        ["object"] = "user",
        ["id"] = Id(NotionWorkspace.IdFor("bot:" + caller.GrantId)),
        ["name"] = "Workplace",
        ["avatar_url"] = null,
        ["type"] = "bot",
        ["bot"] = new JsonObject
        {
            ["owner"] = new JsonObject { ["type"] = "user", ["user"] = User(caller.User) },
            ["workspace_name"] = NotionWorkspace.Name,
        },
    };

    public static string Url(string title, Guid id)
    {
        var words = string.Join('-', title.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => new string([.. w.Where(char.IsLetterOrDigit)])).Where(w => w.Length > 0));
        return $"https://www.notion.so/{words}-{id:N}";
    }

    public static JsonObject Page(NotionPage page) => new()
    {
        ["object"] = "page",
        ["id"] = Id(page.Id),
        ["created_time"] = Time(page.Created),
        ["last_edited_time"] = Time(page.Edited),
        ["created_by"] = User(page.Owner),
        ["last_edited_by"] = User(page.Owner),
        ["cover"] = null,
        ["icon"] = Emoji(page.Emoji),
        ["parent"] = page switch
        {
            { Database: { } database } => new JsonObject { ["type"] = "data_source_id", ["data_source_id"] = Id(database.DataSourceId), ["database_id"] = Id(database.Id) },
            { ParentPage: { } parent } => new JsonObject { ["type"] = "page_id", ["page_id"] = Id(parent.Id) },
            _ => new JsonObject { ["type"] = "workspace", ["workspace"] = true },
        },
        ["archived"] = false,
        ["in_trash"] = false,
        ["is_locked"] = false,
        ["properties"] = page.Database is null ? new JsonObject { ["title"] = Title(page.Title) } : RowProperties(page),
        ["url"] = Url(page.Title, page.Id),
        ["public_url"] = null,
    };

    public static JsonObject Database(NotionDatabase database) => new()
    {
        ["object"] = "database",
        ["id"] = Id(database.Id),
        ["title"] = RichText.Parse(database.Title),
        ["description"] = new JsonArray(),
        ["icon"] = Emoji(database.Emoji),
        ["cover"] = null,
        ["parent"] = new JsonObject { ["type"] = "page_id", ["page_id"] = Id(database.ParentPage.Id) },
        ["is_inline"] = false,
        ["in_trash"] = false,
        ["is_locked"] = false,
        ["created_time"] = Time(database.Created),
        ["last_edited_time"] = Time(database.Edited),
        ["data_sources"] = new JsonArray(new JsonObject { ["id"] = Id(database.DataSourceId), ["name"] = database.Title }),
        ["url"] = Url(database.Title, database.Id),
        ["public_url"] = null,
    };

    public static JsonObject DataSource(NotionDatabase database) => new()
    {
        ["object"] = "data_source",
        ["id"] = Id(database.DataSourceId),
        ["created_time"] = Time(database.Created),
        ["last_edited_time"] = Time(database.Edited),
        ["created_by"] = User(database.ParentPage.Owner),
        ["last_edited_by"] = User(database.ParentPage.Owner),
        ["title"] = RichText.Parse(database.Title),
        ["description"] = new JsonArray(),
        ["icon"] = Emoji(database.Emoji),
        ["cover"] = null,
        ["parent"] = new JsonObject { ["type"] = "database_id", ["database_id"] = Id(database.Id) },
        ["database_parent"] = new JsonObject { ["type"] = "page_id", ["page_id"] = Id(database.ParentPage.Id) },
        ["archived"] = false,
        ["in_trash"] = false,
        ["is_inline"] = false,
        ["properties"] = new JsonObject
        {
            ["Name"] = new JsonObject { ["id"] = "title", ["name"] = "Name", ["type"] = "title", ["title"] = new JsonObject() },
            ["Date"] = new JsonObject { ["id"] = "%3AdT%5E", ["name"] = "Date", ["type"] = "date", ["date"] = new JsonObject() },
            ["Tags"] = new JsonObject
            {
                ["id"] = "tg%7Bq",
                ["name"] = "Tags",
                ["type"] = "multi_select",
                ["multi_select"] = new JsonObject
                {
                    ["options"] = new JsonArray([.. database.Rows.SelectMany(r => r.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(t => (JsonNode)Option(t))]),
                },
            },
        },
        ["url"] = Url(database.Title, database.DataSourceId),
        ["public_url"] = null,
    };

    public static JsonObject Block(NotionBlock block) => new()
    {
        ["object"] = "block",
        ["id"] = Id(block.Id),
        ["parent"] = block.ParentBlock is { } parent
            ? new JsonObject { ["type"] = "block_id", ["block_id"] = Id(parent.Id) }
            : new JsonObject { ["type"] = "page_id", ["page_id"] = Id(block.Page.Id) },
        ["created_time"] = Time(block.Page.Created),
        ["last_edited_time"] = Time(block.Page.Edited),
        ["created_by"] = User(block.Page.Owner),
        ["last_edited_by"] = User(block.Page.Owner),
        ["has_children"] = block.HasChildren,
        ["archived"] = false,
        ["in_trash"] = false,
        ["type"] = block.Type,
        [block.Type] = block.Content.DeepClone(),
    };

    /// <summary>A page read as a block (a top-level page or a database row has no child_page block of its own to find).</summary>
    public static JsonObject PageAsBlock(NotionPage page) => new()
    {
        ["object"] = "block",
        ["id"] = Id(page.Id),
        ["parent"] = Page(page)["parent"]!.DeepClone(),
        ["created_time"] = Time(page.Created),
        ["last_edited_time"] = Time(page.Edited),
        ["created_by"] = User(page.Owner),
        ["last_edited_by"] = User(page.Owner),
        ["has_children"] = page.Blocks.Count > 0,
        ["archived"] = false,
        ["in_trash"] = false,
        ["type"] = "child_page",
        ["child_page"] = new JsonObject { ["title"] = page.Title },
    };

    /// <summary>A list response; <paramref name="type"/> is Notion's <c>type</c> of the list (<c>block</c>, <c>page_or_data_source</c>).</summary>
    public static JsonObject List(IEnumerable<JsonNode> results, string? nextCursor, string type) => new()
    {
        ["object"] = "list",
        ["results"] = new JsonArray([.. results]),
        ["next_cursor"] = nextCursor,
        ["has_more"] = nextCursor is not null,
        ["type"] = type,
        [type] = new JsonObject(),
    };

    private static JsonObject RowProperties(NotionPage row) => new()
    {
        ["Name"] = Title(row.Title),
        ["Date"] = new JsonObject
        {
            ["id"] = "%3AdT%5E",
            ["type"] = "date",
            ["date"] = row.Date is { } date
                ? new JsonObject { ["start"] = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["end"] = null, ["time_zone"] = null }
                : null,
        },
        ["Tags"] = new JsonObject
        {
            ["id"] = "tg%7Bq",
            ["type"] = "multi_select",
            ["multi_select"] = new JsonArray([.. row.Tags.Select(t => (JsonNode)Option(t))]),
        },
    };

    private static JsonObject Title(string title) => new() { ["id"] = "title", ["type"] = "title", ["title"] = new JsonArray(RichText.Segment(title, null, default)) };

    private static JsonObject Option(string name) => new()
    {
        ["id"] = Id(NotionWorkspace.IdFor("option:" + name)),
        ["name"] = name,
        ["color"] = "default",
    };

    private static JsonObject Emoji(string emoji) => new() { ["type"] = "emoji", ["emoji"] = emoji };
}
