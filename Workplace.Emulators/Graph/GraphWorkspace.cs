using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Graph;

/// <summary>A SharePoint site: only its members see the documents of its library.</summary>
public sealed record GraphSite(string Id, string Name, string DisplayName, string WebUrl, IReadOnlyList<string> Members);

/// <summary>
/// A drive: a person's OneDrive (<c>business</c>, in their personal site) or a team site's document library
/// (<c>documentLibrary</c>, seen by the site's members).
/// </summary>
public sealed record GraphDrive(string Id, string SiteId, string DriveType, string WebUrl, EmulatedUser? Owner, GraphSite? Site)
{
    public bool IsVisibleTo(EmulatedUser user) =>
        Owner == user || (Site is not null && Site.Members.Contains(user.Id, StringComparer.Ordinal));
}

/// <summary>A file in a drive, with the text the search index holds for it.</summary>
public sealed record GraphDriveItem(
    string Id, GraphDrive Drive, string Name, string MimeType, byte[] Content, string Text, string ETagGuid,
    DateTimeOffset Created, DateTimeOffset Modified, EmulatedUser Author, IReadOnlyList<string> SharedWith)
{
    public string WebUrl => $"{Drive.WebUrl}/{Uri.EscapeDataString(Name)}";

    /// <summary>The number in its <c>eTag</c> and <c>cTag</c>: it moves on with every change to the content.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The owner of its OneDrive, the people it is shared with, and the members of its site.</summary>
    public bool IsVisibleTo(EmulatedUser user) => Drive.IsVisibleTo(user) || SharedWith.Contains(user.Id, StringComparer.Ordinal);
}

/// <summary>
/// Halcyon Robotics in Microsoft 365: a OneDrive for each of the three people (private files, files shared with one or
/// two others) and two SharePoint sites, Engineering (Aditi and Priya) and Sales (Renata). The documents are files of
/// samples/workspace, embedded as Graph/Workspace/&lt;drive&gt;/&lt;name&gt; (Workplace.Emulators.csproj) in the formats they
/// are stored in (.md, .txt, .html, .docx; the one PDF is rendered at start from its text).
/// </summary>
public sealed partial class GraphWorkspace
{
    private const string Tenant = "halcyonrobotics";

    private readonly System.Threading.Lock _edits = new();

    public GraphWorkspace()
    {
        var engineering = Site("engineering", "Engineering", [EmulatedUsers.Aditi.Id, EmulatedUsers.Priya.Id]);
        var sales = Site("sales", "Sales", [EmulatedUsers.Renata.Id]);
        Sites = [engineering, sales];
        var oneDrives = EmulatedUsers.All.ToDictionary(u => u.Id, OneDrive);
        var siteDrives = Sites.ToDictionary(s => s.Name, SiteDrive);
        Drives = [.. oneDrives.Values, .. siteDrives.Values];

        var aditi = EmulatedUsers.Aditi;
        var renata = EmulatedUsers.Renata;
        var priya = EmulatedUsers.Priya;
        _items =
        [
            Load(oneDrives["aditi"], "onedrive-aditi", "Fleet platform architecture.md", aditi, "2026-02-20T09:12:00Z"),
            Load(oneDrives["aditi"], "onedrive-aditi", "RFC-017 Fleet API v2.md", aditi, "2026-03-02T15:40:00Z", renata.Id),
            Load(oneDrives["aditi"], "onedrive-aditi", "Retro 2026-03 Zürich.md", aditi, "2026-03-13T11:05:00Z"),
            Load(oneDrives["aditi"], "onedrive-aditi", "On-call handoff checklist.txt", aditi, "2026-01-28T08:30:00Z", priya.Id),
            Load(oneDrives["renata"], "onedrive-renata", "Calloway Grocers call log.txt", renata, "2026-03-04T17:22:00Z"),
            Load(oneDrives["renata"], "onedrive-renata", "QBR 2025-Q4.html", renata, "2026-01-15T13:00:00Z", aditi.Id),
            Load(oneDrives["renata"], "onedrive-renata", "Enterprise account executive.docx", renata, "2026-02-03T10:45:00Z", priya.Id),
            Load(oneDrives["priya"], "onedrive-priya", "Performance review guide.docx", priya, "2026-02-11T14:10:00Z"),
            Load(oneDrives["priya"], "onedrive-priya", "Employee handbook.md", priya, "2026-01-06T09:00:00Z", aditi.Id, renata.Id),
            Load(oneDrives["priya"], "onedrive-priya", "Parental leave policy.md", priya, "2026-02-26T16:35:00Z"),
            Load(siteDrives["engineering"], "site-engineering", "Kestrel firmware rollback.md", aditi, "2026-03-09T07:55:00Z"),
            Load(siteDrives["engineering"], "site-engineering", "Incident postmortem 2025-11.docx", aditi, "2025-12-02T12:20:00Z"),
            Load(siteDrives["engineering"], "site-engineering", "Platform SLA.html", aditi, "2026-02-17T10:00:00Z"),
            Load(siteDrives["engineering"], "site-engineering", "Information security policy.html", priya, "2026-01-19T15:30:00Z"),
            Load(siteDrives["engineering"], "site-engineering", "Wren AMR docking spec.pdf", aditi, "2026-03-05T09:40:00Z"),
            Load(siteDrives["sales"], "site-sales", "Pricing and discount guidelines.html", renata, "2026-02-24T11:15:00Z"),
            Load(siteDrives["sales"], "site-sales", "Pemberton Freight case notes.txt", renata, "2026-03-11T16:00:00Z"),
            Load(siteDrives["sales"], "site-sales", "Q1 2026 forecast.docx", renata, "2026-03-01T08:00:00Z"),
        ];
    }

    public IReadOnlyList<GraphSite> Sites { get; }

    public IReadOnlyList<GraphDrive> Drives { get; }

    private GraphDriveItem[] _items;

    public IReadOnlyList<GraphDriveItem> Items => Volatile.Read(ref _items);

    public GraphDrive OneDriveOf(EmulatedUser user) => Drives.Single(d => d.Owner == user);

    /// <summary>The drive of a site by its id, a team site's or a OneDrive's personal site's.</summary>
    public GraphDrive? FindSiteDrive(string siteId) => Drives.FirstOrDefault(d => string.Equals(d.SiteId, siteId, StringComparison.OrdinalIgnoreCase));

    public GraphDrive? FindDrive(string id) => Drives.FirstOrDefault(d => string.Equals(d.Id, id, StringComparison.Ordinal));

    public GraphDriveItem? FindItem(string id) => Items.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Replaces a Markdown or text file's content with <paramref name="text"/>, modified at <paramref name="now"/>: a new
    /// version. Null: no such item, or one whose format an edit here cannot write.
    /// </summary>
    public GraphDriveItem? Edit(string id, string text, DateTimeOffset now)
    {
        lock (_edits)
        {
            var items = Items.ToArray();
            var index = Array.FindIndex(items, i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase));
            if (index < 0 || items[index].MimeType is not ("text/markdown" or "text/plain"))
            {
                return null;
            }
            var edited = items[index] with { Content = Encoding.UTF8.GetBytes(text), Text = text, Modified = now, Version = items[index].Version + 1 };
            items[index] = edited;
            Volatile.Write(ref _items, items);
            return edited;
        }
    }

    /// <summary>The user's object id in the emulated tenant.</summary>
    public static string UserId(EmulatedUser user) => StableGuid("user-" + user.Id).ToString();

    private static GraphSite Site(string name, string displayName, IReadOnlyList<string> members) =>
        new($"{Tenant}.sharepoint.com,{StableGuid("site-" + name)},{StableGuid("web-" + name)}", name, displayName,
            $"https://{Tenant}.sharepoint.com/sites/{name}", members);

    private static GraphDrive OneDrive(EmulatedUser user) =>
        new(DriveId("onedrive-" + user.Id), $"{Tenant}-my.sharepoint.com,{StableGuid("personal-" + user.Id)},{StableGuid("personal-web-" + user.Id)}", "business",
            $"https://{Tenant}-my.sharepoint.com/personal/{user.Email.Replace('@', '_').Replace('.', '_').Replace('-', '_')}/Documents",
            user, null);

    private static GraphDrive SiteDrive(GraphSite site) =>
        new(DriveId("site-" + site.Name), site.Id, "documentLibrary", $"{site.WebUrl}/Shared Documents", null, site);

    private static GraphDriveItem Load(GraphDrive drive, string folder, string name, EmulatedUser author, string modified, params string[] sharedWith)
    {
        var isPdf = name.EndsWith(".pdf", StringComparison.Ordinal);
        var source = Resource($"{folder}/{name}{(isPdf ? ".txt" : "")}");
        var extension = Path.GetExtension(name);
        var (mimeType, content, text) = extension switch
        {
            ".md" => ("text/markdown", source, Encoding.UTF8.GetString(source)),
            ".txt" => ("text/plain", source, Encoding.UTF8.GetString(source)),
            ".html" => ("text/html", source, HtmlText(Encoding.UTF8.GetString(source))),
            ".docx" => ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", source, DocxText(source)),
            ".pdf" => PdfOf(Encoding.UTF8.GetString(source)),
            _ => throw new InvalidOperationException($"No format for '{name}'."),
        };
        var modifiedAt = DateTimeOffset.Parse(modified, System.Globalization.CultureInfo.InvariantCulture);
        return new GraphDriveItem(ItemId($"{folder}/{name}"), drive, name, mimeType, content, text,
            StableGuid("etag-" + folder + name).ToString().ToUpperInvariant(), modifiedAt.AddDays(-9), modifiedAt, author, sharedWith);
    }

    private static (string, byte[], string) PdfOf(string source)
    {
        var text = PdfDocument.Printable(source);
        return ("application/pdf", PdfDocument.Write(text), text);
    }

    private static byte[] Resource(string path)
    {
        var assembly = typeof(GraphWorkspace).Assembly;
        // The project names each resource by its path (LogicalName), with the separator of the machine that built it.
        var name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.Replace('\\', '/') == $"Graph/Workspace/{path}")
            ?? throw new InvalidOperationException($"No embedded resource for '{path}'.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    // The index needs the words a reader sees, not a faithful rendering: tags out, entities decoded.
    private static string HtmlText(string html) =>
        WebUtility.HtmlDecode(Whitespace().Replace(Tags().Replace(ScriptsAndStyles().Replace(html, " "), " "), " ")).Trim();

    private static string DocxText(byte[] docx)
    {
        using var stream = new MemoryStream(docx);
        using var document = WordprocessingDocument.Open(stream, false);
        var body = document.MainDocumentPart?.Document?.Body ?? throw new InvalidOperationException("A .docx without a body.");
        return string.Join('\n', body.Descendants<Paragraph>().Select(p => p.InnerText));
    }

    private static string DriveId(string seed) => "b!" + Base64Url(SHA512.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 48));

    private static string ItemId(string seed) => "01" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16));

    private static Guid StableGuid(string seed) => new(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16));

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<(script|style)[^>]*>.*?</\\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptsAndStyles();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("[ \\t]+")]
    private static partial Regex Whitespace();
}
