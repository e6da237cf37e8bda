using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Google.Workspace;

/// <summary>The MIME types the sample Drive holds.</summary>
public static class DriveMimeTypes
{
    public const string Document = "application/vnd.google-apps.document";
    public const string Folder = "application/vnd.google-apps.folder";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Pdf = "application/pdf";
    public const string Text = "text/plain";
    public const string Html = "text/html";

    public static bool IsGoogleType(string mimeType) => mimeType.StartsWith("application/vnd.google-apps.", StringComparison.Ordinal);
}

/// <summary>A shared drive and the users who are its members.</summary>
public sealed record SharedDrive(string Id, string Name, IReadOnlyList<string> Members, DateTimeOffset Created);

/// <summary>
/// One file of the sample Drive. In My Drive (<see cref="DriveId"/> null) its owner and the users it is shared with
/// see it; in a shared drive, the drive's members. <see cref="Markdown"/> is a Google Doc's content (what export
/// converts) or the text an upload's bytes are made from.
/// </summary>
public sealed class DriveFile
{
    private readonly Lazy<byte[]> _bytes;

    public DriveFile(string id, string name, string mimeType, string owner, IReadOnlyList<string> parents, DateTimeOffset created, DateTimeOffset modified,
        Func<string> markdown, string? driveId = null, IReadOnlyList<string>? sharedWith = null, string? description = null, bool trashed = false, string? lastModifiedBy = null,
        long version = 1)
    {
        Id = id;
        Name = name;
        MimeType = mimeType;
        Owner = owner;
        Parents = parents;
        Created = created;
        Modified = modified;
        DriveId = driveId;
        SharedWith = sharedWith ?? [];
        Description = description;
        Trashed = trashed;
        LastModifiedBy = lastModifiedBy ?? owner;
        Version = version;
        var content = new Lazy<string>(markdown);
        Markdown = () => content.Value;
        Text = new DriveText(() => $"{name}\n{description}\n{content.Value}");
        _bytes = new Lazy<byte[]>(() => DriveFileFormats.Render(mimeType, name, content.Value));
    }

    public string Id { get; }

    public string Name { get; }

    public string MimeType { get; }

    /// <summary>The user id who created it; in a shared drive the drive owns it.</summary>
    public string Owner { get; }

    public IReadOnlyList<string> Parents { get; }

    public DateTimeOffset Created { get; }

    public DateTimeOffset Modified { get; }

    public string? DriveId { get; }

    public IReadOnlyList<string> SharedWith { get; }

    public string? Description { get; }

    public bool Trashed { get; }

    public string LastModifiedBy { get; }

    /// <summary>Drive's <c>version</c>: it moves on with every change to the file.</summary>
    public long Version { get; }

    public Func<string> Markdown { get; }

    public DriveText Text { get; }

    public bool IsGoogleType => DriveMimeTypes.IsGoogleType(MimeType);

    /// <summary>The file with new content, edited by its last modifier at <paramref name="modified"/>: a new version.</summary>
    public DriveFile Edited(string markdown, DateTimeOffset modified) =>
        new(Id, Name, MimeType, Owner, Parents, Created, modified, () => markdown, DriveId, SharedWith, Description, Trashed, LastModifiedBy, Version + 1);

    /// <summary>An upload's bytes (empty for Google types, which have none).</summary>
    public byte[] Bytes => IsGoogleType ? [] : _bytes.Value;

    /// <summary>The owner's email, for <c>'x' in owners</c>; files in a shared drive have no owners.</summary>
    public string? OwnerEmail => DriveId is null ? EmulatedUsers.Find(Owner)?.Email : null;

    /// <summary>Everyone with a permission on a My Drive file other than its owner.</summary>
    public IEnumerable<string> ReaderEmails => SharedWith.Select(u => EmulatedUsers.Find(u)?.Email).OfType<string>();
}

/// <summary>What depends on who looks at a file: whether it was shared with them, and the id their "root" alias stands for.</summary>
public readonly record struct DriveFileView(bool SharedWithMe, string Root);
