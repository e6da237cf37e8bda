using System.Text.Json;
using System.Text.Json.Nodes;
using Workplace.Connectors.Sources.Notion;

namespace Workplace.Tests.Sources.Notion;

/// <summary>
/// Block kinds and rich text the sample workspace does not hold (mentions, equations, strikethrough, embeds, files,
/// columns, synced blocks, lists nested in lists, unknown types), in the JSON Notion's API answers with.
/// </summary>
public sealed class NotionMarkdownTests
{
    [Fact]
    public void RichText_MarksEveryAnnotation_Links_Mentions_AndEquations()
    {
        var markdown = Render(Block("paragraph", new JsonObject
        {
            ["rich_text"] = new JsonArray(
                Text("Plain, "),
                Text("bold ", bold: true),
                Text("italic", italic: true),
                Text(", "),
                Text("gone", strikethrough: true),
                Text(", "),
                Text("a`b", code: true),
                Text(", "),
                Text("all", bold: true, italic: true, strikethrough: true),
                Text(" and "),
                Text("a link", href: "https://example.com/a b"),
                Text(" to "),
                Mention("@Priya Castellanos", null),
                Text(" on "),
                Mention("Zürich offsite plan", "https://www.notion.so/0a0b"),
                Text(": "),
                Equation("e^{i\\pi} + 1 = 0")),
        }));
        Assert.Equal(
            "# T\n\nPlain, **bold** *italic*, ~~gone~~, `` a`b ``, ***~~all~~*** and [a link](https://example.com/a%20b) to @Priya Castellanos on [Zürich offsite plan](https://www.notion.so/0a0b): $e^{i\\pi} + 1 = 0$\n",
            markdown);
    }

    [Fact]
    public void Lists_NestInLists_AndNumberingRestartsAfterAnotherBlock()
    {
        var markdown = Render(
            Block("bulleted_list_item", Rich("Fruit"),
                Block("bulleted_list_item", Rich("Apple"),
                    Block("numbered_list_item", Rich("Peel")),
                    Block("numbered_list_item", Rich("Slice"))),
                Block("to_do", new JsonObject { ["rich_text"] = RichArray("Buy pears"), ["checked"] = true })),
            Block("numbered_list_item", Rich("One")),
            Block("numbered_list_item", Rich("Two"), Block("paragraph", Rich("Detail of two"))),
            Block("paragraph", Rich("Between")),
            Block("numbered_list_item", Rich("One again")));
        Assert.Equal("""
            # T

            - Fruit
              - Apple
                1. Peel
                2. Slice
              - [x] Buy pears
            1. One
            2. Two
               Detail of two

            Between

            1. One again

            """, markdown);
    }

    [Fact]
    public void Equations_Embeds_Files_AndLinksToPages_AreMarkdown()
    {
        var page = Guid.NewGuid();
        var markdown = Render(
            Block("equation", new JsonObject { ["expression"] = "E = mc^2" }),
            Block("embed", new JsonObject { ["url"] = "https://maps.example/site?id=4", ["caption"] = new JsonArray() }),
            Block("video", new JsonObject { ["type"] = "external", ["external"] = new JsonObject { ["url"] = "https://video.example/demo.mp4" }, ["caption"] = RichArray("Demo day") }),
            Block("pdf", new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["url"] = "https://files.example/s3/a.pdf?sig=1", ["expiry_time"] = "2026-03-01T00:00:00.000Z" }, ["caption"] = new JsonArray(), ["name"] = "Floor plan.pdf" }),
            Block("image", new JsonObject { ["type"] = "file", ["file"] = new JsonObject { ["url"] = "https://files.example/s3/map (v2).png" }, ["caption"] = new JsonArray() }),
            Block("link_to_page", new JsonObject { ["type"] = "page_id", ["page_id"] = page.ToString("D") }),
            Block("code", new JsonObject { ["rich_text"] = RichArray("echo ```"), ["language"] = "shell", ["caption"] = RichArray("Prints a fence") }));
        Assert.Equal($$"""
            # T

            $$
            E = mc^2
            $$

            [https://maps.example/site?id=4](https://maps.example/site?id=4)

            [Demo day](https://video.example/demo.mp4)

            [Floor plan.pdf](https://files.example/s3/a.pdf?sig=1)

            ![](https://files.example/s3/map%20%28v2%29.png)

            Link to page: [https://www.notion.so/{{page:N}}](https://www.notion.so/{{page:N}})

            ````shell
            echo ```
            ````

            *Prints a fence*

            """, markdown);
    }

    [Fact]
    public void Columns_AndSyncedBlocks_ShowTheirContent_NavigationIsLeftOut_UnknownTypesLeaveAMarker()
    {
        var markdown = Render(
            Block("column_list", new JsonObject(),
                Block("column", new JsonObject(), Block("paragraph", Rich("Left"))),
                Block("column", new JsonObject(), Block("paragraph", Rich("Right")))),
            Block("synced_block", new JsonObject { ["synced_from"] = null }, Block("heading_3", Rich("Synced"))),
            Block("table_of_contents", new JsonObject { ["color"] = "default" }),
            Block("breadcrumb", new JsonObject()),
            Block("ai_block", new JsonObject()),
            Block("unsupported", new JsonObject()),
            Block("heading_4", Rich("Fourth level")));
        Assert.Equal("""
            # T

            Left

            Right

            ### Synced

            *[A Notion block of type ai_block is not shown here: open the page in Notion to see it]*

            *[A Notion block of type unsupported is not shown here: open the page in Notion to see it]*

            #### Fourth level

            """, markdown);
    }

    [Fact]
    public void Quotes_AndCallouts_KeepTheirLinesAndChildrenQuoted_TablesWithoutHeaderGetAnEmptyOne()
    {
        var markdown = Render(
            Block("quote", Rich("First line\nsecond line"), Block("bulleted_list_item", Rich("inside"))),
            Block("callout", new JsonObject { ["rich_text"] = RichArray("No icon") }),
            Block("table", new JsonObject { ["table_width"] = 2, ["has_column_header"] = false, ["has_row_header"] = false },
                Block("table_row", new JsonObject { ["cells"] = new JsonArray(RichArray("a|b"), RichArray("two\nlines")) }),
                Block("table_row", new JsonObject { ["cells"] = new JsonArray(RichArray("c"), new JsonArray()) })));
        Assert.Equal("""
            # T

            > First line
            > second line
            >
            > - inside

            > No icon

            |  |  |
            | --- | --- |
            | a\|b | two<br>lines |
            | c |  |

            """, markdown);
    }

    [Fact]
    public void AMissingOrMistypedMember_IsEmptyContent_NotAFailure()
    {
        var markdown = Render(
            Block("paragraph", new JsonObject()),
            JsonNode.Parse("""{"object":"block","id":"x","type":"bulleted_list_item","has_children":false,"bulleted_list_item":"not an object"}""")!,
            JsonNode.Parse("""{"object":"block","id":"y","type":"to_do","has_children":false}""")!,
            Block("heading_1", new JsonObject { ["rich_text"] = new JsonArray(null, Text("After"), JsonNode.Parse("""{"type":"text"}""")) }));
        Assert.Equal("# T\n\n- \n- [ ] \n\n# After\n", markdown);
    }

    private static string Render(params JsonNode[] blocks) => NotionMarkdown.Page("T", [.. blocks.Select(Node)]);

    private static NotionBlockNode Node(JsonNode json)
    {
        var block = JsonSerializer.Deserialize(json.ToJsonString(), NotionJsonContext.Default.NotionBlock)!;
        var children = json["children"] is JsonArray array ? array.Select(c => Node(c!)).ToList() : [];
        return new NotionBlockNode(block, children);
    }

    private static JsonObject Block(string type, JsonObject content, params JsonNode[] children)
    {
        var block = new JsonObject
        {
            ["object"] = "block",
            ["id"] = Guid.NewGuid().ToString("D"),
            ["type"] = type,
            ["has_children"] = children.Length > 0,
            [type] = content,
        };
        if (children.Length > 0)
        {
            block["children"] = new JsonArray(children);
        }
        return block;
    }

    private static JsonObject Rich(string text) => new() { ["rich_text"] = RichArray(text), ["color"] = "default" };

    private static JsonArray RichArray(string text) => new(Text(text));

    private static JsonObject Text(string content, bool bold = false, bool italic = false, bool strikethrough = false, bool code = false, string? href = null) => new()
    {
        ["type"] = "text",
        ["text"] = new JsonObject { ["content"] = content, ["link"] = href is null ? null : new JsonObject { ["url"] = href } },
        ["annotations"] = Annotations(bold, italic, strikethrough, code),
        ["plain_text"] = content,
        ["href"] = href,
    };

    private static JsonObject Mention(string plain, string? href) => new()
    {
        ["type"] = "mention",
        ["mention"] = href is null
            ? new JsonObject { ["type"] = "user", ["user"] = new JsonObject { ["object"] = "user", ["id"] = Guid.NewGuid().ToString("D") } }
            : new JsonObject { ["type"] = "page", ["page"] = new JsonObject { ["id"] = Guid.NewGuid().ToString("D") } },
        ["annotations"] = Annotations(false, false, false, false),
        ["plain_text"] = plain,
        ["href"] = href,
    };

    private static JsonObject Equation(string expression) => new()
    {
        ["type"] = "equation",
        ["equation"] = new JsonObject { ["expression"] = expression },
        ["annotations"] = Annotations(false, false, false, false),
        ["plain_text"] = expression,
        ["href"] = null,
    };

    private static JsonObject Annotations(bool bold, bool italic, bool strikethrough, bool code) => new()
    {
        ["bold"] = bold,
        ["italic"] = italic,
        ["strikethrough"] = strikethrough,
        ["underline"] = false,
        ["code"] = code,
        ["color"] = "default",
    };
}
