using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Notion;

/// <summary>A page of the sample workspace: a top-level page, a sub-page, or a row of a database.</summary>
public sealed class NotionPage
{
    public required Guid Id { get; init; }
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public required string Emoji { get; init; }
    public required string Owner { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Edited { get; set; }
    public required IReadOnlySet<string> Readers { get; init; }

    /// <summary>null: a top-level page (parent <c>workspace</c>).</summary>
    public NotionPage? ParentPage { get; init; }

    /// <summary>For a row: its database.</summary>
    public NotionDatabase? Database { get; init; }

    public DateOnly? Date { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyList<NotionBlock> Blocks { get; set; } = [];
}

/// <summary>A database with its one data source (API 2025-09-03 splits the two).</summary>
public sealed class NotionDatabase
{
    public required Guid Id { get; init; }
    public required Guid DataSourceId { get; init; }
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public required string Emoji { get; init; }
    public required NotionPage ParentPage { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Edited { get; init; }
    public IReadOnlySet<string> Readers => ParentPage.Readers;
    public List<NotionPage> Rows { get; } = [];
}

/// <summary>A block of a page. A child_page or child_database block has the id of the page or database it shows.</summary>
public sealed class NotionBlock
{
    public required Guid Id { get; init; }
    public required string Type { get; init; }
    public required JsonObject Content { get; init; }
    public required NotionPage Page { get; init; }

    /// <summary>null: the block sits directly on <see cref="Page"/>.</summary>
    public NotionBlock? ParentBlock { get; init; }

    public IReadOnlyList<NotionBlock> Children { get; set; } = [];

    public NotionPage? ChildPage { get; init; }

    public bool HasChildren => ChildPage is { } page ? page.Blocks.Count > 0 : Children.Count > 0;
}

/// <summary>
/// The Notion workspace of Halcyon Robotics. Two teamspaces: "Halcyon HQ", open to everyone, and "Engineering",
/// closed, whose pages only Aditi and Priya see; each person has private pages, and some pages are shared with one
/// or two others. A sub-page or database row is seen by whoever sees its parent. Built once, deterministically:
/// ids are derived from the slugs.
/// </summary>
public sealed class NotionWorkspace
{
    public const string Name = "Halcyon Robotics";

    private static readonly string[] HqMembers = [.. EmulatedUsers.All.Select(u => u.Id)];
    private static readonly string[] EngineeringMembers = [EmulatedUsers.Aditi.Id, EmulatedUsers.Priya.Id];

    private readonly Dictionary<Guid, NotionPage> _pages = [];
    private readonly Dictionary<Guid, NotionDatabase> _databases = [];
    private readonly Dictionary<Guid, NotionDatabase> _dataSources = [];
    // Concurrent: an admin edit adds blocks while requests read them.
    private readonly ConcurrentDictionary<Guid, NotionBlock> _blocks = [];
    private readonly Lock _edits = new();
    private int _editCount;

    public NotionWorkspace()
    {
        Page("employee-handbook", "📘", "priya", "2026-01-28T10:05", "2026-02-01T09:12", readers: HqMembers);
        Page("okrs-2026-q1", "🎯", "priya", "2026-01-12T08:30", "2026-02-27T16:40", readers: HqMembers);
        Page("glossary", "📖", "aditi", "2025-11-03T14:00", "2026-02-25T11:18", readers: HqMembers);

        var home = Page("engineering-home", "🛠️", "aditi", "2025-09-15T09:00", "2026-03-03T08:55", readers: EngineeringMembers);
        Page("fleet-platform-architecture", "🏗️", "aditi", "2025-10-20T13:20", "2026-02-19T17:02", parent: home);
        Page("kestrel-firmware-rollback", "🧯", "aditi", "2025-12-01T10:10", "2026-02-26T15:45", parent: home);
        var meetings = Database("meeting-notes", "Meeting notes", "🗒️", home, "2026-01-05T09:00", "2026-02-16T18:30");
        Row(meetings, "eng-sync-2026-02-09", "aditi", "2026-02-09T16:00", "2026-02-09T18:20", new DateOnly(2026, 2, 9), ["Eng sync", "Firmware"]);
        Row(meetings, "eng-sync-2026-02-16", "aditi", "2026-02-16T16:00", "2026-02-16T18:30", new DateOnly(2026, 2, 16), ["Eng sync", "Console"]);

        Page("aditi-one-on-one", "🔒", "aditi", "2026-01-19T07:50", "2026-03-02T18:05", readers: ["aditi"]);
        Page("console-roadmap", "🗺️", "aditi", "2026-02-02T12:00", "2026-03-04T09:30", readers: ["aditi", "renata"]);

        var pipeline = Page("renata-pipeline", "📈", "renata", "2026-01-06T15:00", "2026-03-02T20:10", readers: ["renata"]);
        Page("acme-deal-notes", "🤝", "renata", "2026-02-10T17:25", "2026-03-03T19:00", parent: pipeline);
        Page("austin-office-launch", "🏢", "renata", "2026-01-22T11:40", "2026-02-28T13:15", readers: ["renata", "aditi", "priya"]);

        Page("comp-review-2026", "💰", "priya", "2026-02-12T08:00", "2026-03-01T10:45", readers: ["priya"]);
        Page("zurich-offsite", "🏔️", "priya", "2026-02-05T09:30", "2026-02-27T14:20", readers: ["priya", "aditi"]);

        foreach (var page in _pages.Values)
        {
            page.Blocks = Build(Load(page.Slug).Blocks, page, null, page.Slug);
        }
    }

    public IEnumerable<NotionPage> Pages => _pages.Values;

    public IEnumerable<NotionDatabase> Databases => _databases.Values;

    public NotionPage? FindPage(Guid id) => _pages.GetValueOrDefault(id);

    public NotionDatabase? FindDatabase(Guid id) => _databases.GetValueOrDefault(id);

    public NotionDatabase? FindDataSource(Guid id) => _dataSources.GetValueOrDefault(id);

    public NotionBlock? FindBlock(Guid id) => _blocks.GetValueOrDefault(id);

    /// <summary>
    /// Replaces a page's blocks with <paramref name="markdown"/> (no child pages or databases) as an edit at
    /// <paramref name="now"/>; <c>last_edited_time</c> is rounded down to the minute, as Notion's is. Null: no such page.
    /// </summary>
    public NotionPage? Edit(Guid id, string markdown, DateTimeOffset now)
    {
        if (FindPage(id) is not { } page)
        {
            return null;
        }
        var specs = NotionMarkdown.Parse(markdown);
        if (specs.Any(s => s.Type is "child_page" or "child_database"))
        {
            throw new ArgumentException("An edit holds text only: child pages and databases stay where they are.", nameof(markdown));
        }
        lock (_edits)
        {
            page.Blocks = Build(specs, page, null, $"{page.Slug}@edit{++_editCount}");
            page.Edited = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        }
        return page;
    }

    /// <summary>The Notion user id of an emulated person.</summary>
    public static Guid UserId(string user) => IdFor("user:" + user);

    /// <summary>A UUID (version 4 layout) derived from a name, so every run has the same ids.</summary>
    public static Guid IdFor(string name)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("notion:" + name))[..16];
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private NotionPage Page(string slug, string emoji, string owner, string created, string edited, IReadOnlyCollection<string>? readers = null, NotionPage? parent = null)
    {
        var page = new NotionPage
        {
            Id = IdFor("page:" + slug),
            Slug = slug,
            Title = Load(slug).Title,
            Emoji = emoji,
            Owner = owner,
            Created = Time(created),
            Edited = Time(edited),
            Readers = parent?.Readers ?? new HashSet<string>(readers ?? [owner], StringComparer.Ordinal),
            ParentPage = parent,
        };
        _pages.Add(page.Id, page);
        return page;
    }

    private NotionDatabase Database(string slug, string title, string emoji, NotionPage parent, string created, string edited)
    {
        var database = new NotionDatabase
        {
            Id = IdFor("database:" + slug),
            DataSourceId = IdFor("data_source:" + slug),
            Slug = slug,
            Title = title,
            Emoji = emoji,
            ParentPage = parent,
            Created = Time(created),
            Edited = Time(edited),
        };
        _databases.Add(database.Id, database);
        _dataSources.Add(database.DataSourceId, database);
        return database;
    }

    private void Row(NotionDatabase database, string slug, string owner, string created, string edited, DateOnly date, string[] tags)
    {
        var row = new NotionPage
        {
            Id = IdFor("page:" + slug),
            Slug = slug,
            Title = Load(slug).Title,
            Emoji = "📝",
            Owner = owner,
            Created = Time(created),
            Edited = Time(edited),
            Readers = database.Readers,
            Database = database,
            Date = date,
            Tags = tags,
        };
        _pages.Add(row.Id, row);
        database.Rows.Add(row);
    }

    private List<NotionBlock> Build(IReadOnlyList<NotionBlockSpec> specs, NotionPage page, NotionBlock? parent, string path)
    {
        var blocks = new List<NotionBlock>();
        for (var index = 0; index < specs.Count; index++)
        {
            var spec = specs[index];
            var childPage = spec.Type == "child_page" ? _pages.Values.Single(p => p.Slug == spec.Reference) : null;
            var childDatabase = spec.Type == "child_database" ? _databases.Values.Single(d => d.Slug == spec.Reference) : null;
            var content = spec.Content;
            if (childPage is not null || childDatabase is not null)
            {
                content = new JsonObject { ["title"] = childPage?.Title ?? childDatabase!.Title };
            }
            var block = new NotionBlock
            {
                Id = childPage?.Id ?? childDatabase?.Id ?? IdFor($"block:{path}/{index}"),
                Type = spec.Type,
                Content = content,
                Page = page,
                ParentBlock = parent,
                ChildPage = childPage,
            };
            block.Children = Build(spec.Children, page, block, $"{path}/{index}");
            _blocks[block.Id] = block;
            blocks.Add(block);
        }
        return blocks;
    }

    private static DateTimeOffset Time(string value) =>
        DateTimeOffset.ParseExact(value, "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static (string Title, IReadOnlyList<NotionBlockSpec> Blocks) Load(string slug)
    {
        using var stream = typeof(NotionWorkspace).Assembly.GetManifestResourceStream($"Notion/{slug}.md")
            ?? throw new InvalidOperationException($"The sample page Notion/Workspace/{slug}.md is not embedded.");
        using var reader = new StreamReader(stream);
        var markdown = reader.ReadToEnd();
        var firstLine = markdown.IndexOf('\n', StringComparison.Ordinal);
        var title = markdown[..firstLine].TrimStart('#', ' ').Trim();
        return (title, NotionMarkdown.Parse(markdown[(firstLine + 1)..]));
    }
}
