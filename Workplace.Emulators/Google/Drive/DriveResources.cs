using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Workplace.Emulators.Google.Workspace;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Google.Drive;

/// <summary>The Drive v3 JSON of files and shared drives, with every field the emulator knows; <see cref="DriveFields"/> trims it.</summary>
public static class DriveResources
{
    public static readonly IReadOnlySet<string> FileFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "kind", "id", "name", "mimeType", "description", "starred", "trashed", "explicitlyTrashed", "parents", "spaces", "version",
        "webViewLink", "webContentLink", "iconLink", "hasThumbnail", "viewedByMe", "createdTime", "modifiedTime", "sharedWithMeTime",
        "owners", "lastModifyingUser", "shared", "ownedByMe", "capabilities", "permissions", "size", "md5Checksum", "fileExtension",
        "fullFileExtension", "originalFilename", "exportLinks", "driveId", "quotaBytesUsed", "writersCanShare", "sharingUser",
    };

    public static readonly IReadOnlySet<string> FileListFields = new HashSet<string>(StringComparer.Ordinal) { "kind", "nextPageToken", "incompleteSearch", "files" };

    public static readonly IReadOnlySet<string> DriveFieldNames = new HashSet<string>(StringComparer.Ordinal) { "kind", "id", "name", "createdTime", "hidden", "capabilities", "colorRgb" };

    public static readonly IReadOnlySet<string> DriveListFields = new HashSet<string>(StringComparer.Ordinal) { "kind", "nextPageToken", "drives" };

    /// <summary>What Drive returns of a file when no <c>fields</c> is given.</summary>
    public static DriveFields DefaultFile { get; } = DriveFields.Parse("kind,id,name,mimeType")!;

    public static DriveFields DefaultFileList { get; } = DriveFields.Parse("kind,nextPageToken,incompleteSearch,files(kind,id,name,mimeType)")!;

    public static DriveFields DefaultDriveList { get; } = DriveFields.Parse("kind,nextPageToken,drives(kind,id,name)")!;

    public static DriveFields DefaultDrive { get; } = DriveFields.Parse("kind,id,name")!;

    public static JsonObject File(DriveFile file, EmulatedUser caller)
    {
        var json = new JsonObject
        {
            ["kind"] = "drive#file",
            ["id"] = file.Id,
            ["name"] = file.Name,
            ["mimeType"] = file.MimeType,
        };
        if (file.Description is { } description)
        {
            json["description"] = description;
        }
        json["starred"] = false;
        json["trashed"] = file.Trashed;
        json["explicitlyTrashed"] = file.Trashed;
        json["parents"] = new JsonArray(file.Parents.Select(p => JsonValue.Create(p)).ToArray<JsonNode?>());
        json["spaces"] = new JsonArray("drive");
        json["version"] = file.Version.ToString(CultureInfo.InvariantCulture);
        json["webViewLink"] = WebViewLink(file);
        if (!file.IsGoogleType)
        {
            json["webContentLink"] = $"https://drive.google.com/uc?id={file.Id}&export=download";
        }
        json["iconLink"] = $"https://drive-thirdparty.googleusercontent.com/16/type/{file.MimeType}";
        json["hasThumbnail"] = false;
        json["viewedByMe"] = true;
        json["createdTime"] = Time(file.Created);
        json["modifiedTime"] = Time(file.Modified);
        if (file.DriveId is null)
        {
            var sharedWithMe = file.SharedWith.Contains(caller.Id, StringComparer.Ordinal);
            if (sharedWithMe)
            {
                json["sharedWithMeTime"] = Time(file.Created.AddHours(1));
                json["sharingUser"] = User(file.Owner, caller);
            }
            json["owners"] = new JsonArray(User(file.Owner, caller));
            json["shared"] = file.SharedWith.Count > 0;
            json["ownedByMe"] = file.Owner == caller.Id;
            json["permissions"] = new JsonArray(new[] { Permission(file.Owner, "owner") }.Concat(file.SharedWith.Select(u => Permission(u, "reader"))).ToArray<JsonNode?>());
        }
        else
        {
            json["driveId"] = file.DriveId;
            json["shared"] = true;
            json["ownedByMe"] = false;
        }
        json["lastModifyingUser"] = User(file.LastModifiedBy, caller);
        json["writersCanShare"] = true;
        json["capabilities"] = new JsonObject
        {
            ["canDownload"] = file.MimeType != DriveMimeTypes.Folder,
            ["canEdit"] = file.Owner == caller.Id,
            ["canShare"] = file.Owner == caller.Id,
            ["canCopy"] = file.MimeType != DriveMimeTypes.Folder,
            ["canComment"] = true,
            ["canListChildren"] = file.MimeType == DriveMimeTypes.Folder,
        };
        if (file.IsGoogleType)
        {
            json["quotaBytesUsed"] = "0";
            if (file.MimeType == DriveMimeTypes.Document)
            {
                json["exportLinks"] = new JsonObject(DriveFileFormats.DocumentExports.Select(mime =>
                    KeyValuePair.Create<string, JsonNode?>(mime, $"https://docs.google.com/feeds/download/documents/export/Export?id={file.Id}&exportFormat={ExportFormat(mime)}")));
            }
        }
        else
        {
            var bytes = file.Bytes;
            var extension = Path.GetExtension(file.Name).TrimStart('.');
            json["size"] = bytes.Length.ToString(CultureInfo.InvariantCulture);
            json["quotaBytesUsed"] = bytes.Length.ToString(CultureInfo.InvariantCulture);
#pragma warning disable CA5351 // Drive's md5Checksum is MD5 by definition; it checks integrity, not secrecy.
            json["md5Checksum"] = Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351
            json["fileExtension"] = extension;
            json["fullFileExtension"] = extension;
            json["originalFilename"] = file.Name;
        }
        return json;
    }

    public static JsonObject Drive(SharedDrive drive) => new()
    {
        ["kind"] = "drive#drive",
        ["id"] = drive.Id,
        ["name"] = drive.Name,
        ["createdTime"] = Time(drive.Created),
        ["hidden"] = false,
        ["colorRgb"] = "#4986e7",
        ["capabilities"] = new JsonObject { ["canListChildren"] = true, ["canDownload"] = true, ["canEdit"] = false },
    };

    public static string WebViewLink(DriveFile file) => file.MimeType switch
    {
        DriveMimeTypes.Document => $"https://docs.google.com/document/d/{file.Id}/edit?usp=drivesdk",
        DriveMimeTypes.Folder => $"https://drive.google.com/drive/folders/{file.Id}",
        _ => $"https://drive.google.com/file/d/{file.Id}/view?usp=drivesdk",
    };

    private static string ExportFormat(string mime) => mime switch
    {
        "text/markdown" => "md",
        "text/plain" => "txt",
        _ => "html",
    };

    private static JsonObject User(string id, EmulatedUser caller)
    {
        var user = EmulatedUsers.Find(id)!;
        return new JsonObject
        {
            ["kind"] = "drive#user",
            ["displayName"] = user.Name,
            ["me"] = user.Id == caller.Id,
            ["permissionId"] = PermissionId(user.Id),
            ["emailAddress"] = user.Email,
        };
    }

    private static JsonObject Permission(string userId, string role)
    {
        var user = EmulatedUsers.Find(userId)!;
        return new JsonObject
        {
            ["kind"] = "drive#permission",
            ["id"] = PermissionId(user.Id),
            ["type"] = "user",
            ["role"] = role,
            ["emailAddress"] = user.Email,
            ["displayName"] = user.Name,
        };
    }

    private static string PermissionId(string userId) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(userId)))[..20];

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
