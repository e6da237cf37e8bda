using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Workplace.Emulators.Google.Workspace;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Google.Drive;

/// <summary>Drive v3's files and drives resources, read-only, over the sample workspace, each caller seeing only what they may.</summary>
public static class DriveEndpoints
{
    /// <summary>Drive refuses to export more than 10 MB.</summary>
    public const int ExportLimitBytes = 10 * 1024 * 1024;

    private static readonly HashSet<string> OrderKeys = new(StringComparer.Ordinal)
    {
        "createdTime", "folder", "modifiedByMeTime", "modifiedTime", "name", "name_natural", "quotaBytesUsed", "recency", "sharedWithMeTime", "starred", "viewedByMeTime",
    };

    public static void MapDrive(this IEndpointRouteBuilder google)
    {
        var drive = google.MapGroup("/drive/v3").AddEndpointFilter(DriveAccess.Check);
        drive.MapGet("/files", ListFiles);
        drive.MapGet("/files/{fileId}", GetFile);
        drive.MapGet("/files/{fileId}/export", ExportFile);
        drive.MapGet("/drives", ListDrives);
        drive.MapGet("/drives/{driveId}", GetDrive);
    }

    private static IResult ListFiles(HttpContext context)
    {
        var caller = DriveCaller.Of(context);
        var user = caller.User.Id;
        var query = context.Request.Query;
        string? Param(string name) => query[name].FirstOrDefault() is { Length: > 0 } value ? value : null;
        var workspace = DriveWorkspace.Sample;

        if (Fields(Param("fields"), DriveResources.DefaultFileList, DriveResources.FileListFields, out var fields) is { } badFields)
        {
            return badFields;
        }
        if (fields.Inner("files") is { } fileFields && fileFields.UnknownField(DriveResources.FileFields) is { } unknown)
        {
            return DriveErrors.Of(StatusCodes.Status400BadRequest, $"Invalid field selection {unknown}", "global", "invalidParameter", "fields", "parameter");
        }

        DriveQuery? q = null;
        if (Param("q") is { } qText && (q = DriveQuery.Parse(qText)) is null)
        {
            return DriveErrors.InvalidParameter("q");
        }
        if (Flag(query, "includeItemsFromAllDrives") is not { } includeAllDrives || Flag(query, "supportsAllDrives") is null)
        {
            return DriveErrors.InvalidParameter(Flag(query, "includeItemsFromAllDrives") is null ? "includeItemsFromAllDrives" : "supportsAllDrives",
                "Invalid value. Boolean parameters take true or false.");
        }

        var corpora = Param("corpora") ?? "user";
        var driveId = Param("driveId");
        if (corpora is not ("user" or "domain" or "drive" or "allDrives"))
        {
            return DriveErrors.InvalidParameter("corpora");
        }
        if ((corpora == "drive") != (driveId is not null))
        {
            return DriveErrors.InvalidParameter("driveId", "The driveId parameter must be specified if and only if corpora is set to drive.");
        }
        if (corpora is "drive" or "allDrives" && !includeAllDrives)
        {
            return DriveErrors.InvalidParameter("includeItemsFromAllDrives", $"The includeItemsFromAllDrives parameter must be set to true when corpora is set to {corpora}.");
        }
        if (driveId is not null && workspace.Drives.FirstOrDefault(d => d.Id == driveId && workspace.IsMember(user, d)) is null)
        {
            return DriveErrors.DriveNotFound(driveId);
        }

        var pageSize = 100;
        if (Param("pageSize") is { } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 1000))
        {
            return DriveErrors.InvalidParameter("pageSize", $"Invalid value '{size}'. Values must be within the range: [1, 1000]");
        }

        var orderBy = Param("orderBy");
        if (orderBy is not null && q?.HasFullText == true)
        {
            return DriveErrors.Of(StatusCodes.Status400BadRequest, "Sorting is not supported for queries with fullText terms. Results are always in descending relevance order.",
                "global", "badRequest", "orderBy", "parameter");
        }
        var order = orderBy is null ? [] : orderBy.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(k => k.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (order.Any(key => key.Length is < 1 or > 2 || !OrderKeys.Contains(key[0]) || (key.Length == 2 && key[1] != "desc")))
        {
            return DriveErrors.InvalidParameter("orderBy");
        }

        var candidates = context.RequestServices.GetRequiredService<DriveDocuments>().Files.Where(f => workspace.CanSee(user, f) && corpora switch
        {
            "drive" => f.DriveId == driveId,
            "allDrives" => true,
            _ => f.DriveId is null,
        });
        var matches = candidates.Where(f => q is null || q.Matches(f, new DriveFileView(f.SharedWith.Contains(user, StringComparer.Ordinal), DriveWorkspace.RootOf(user)))).ToList();
        var sorted = Sort(matches, q, order);

        var fingerprint = Fingerprint(user, Param("q"), corpora, driveId, orderBy, includeAllDrives);
        var offset = 0;
        if (Param("pageToken") is { } token && !TryReadPageToken(token, fingerprint, out offset))
        {
            return DriveErrors.InvalidParameter("pageToken");
        }
        var page = sorted.Skip(offset).Take(pageSize).ToList();
        var list = new JsonObject { ["kind"] = "drive#fileList" };
        if (offset + page.Count < sorted.Count)
        {
            list["nextPageToken"] = PageToken(offset + page.Count, fingerprint);
        }
        list["incompleteSearch"] = false;
        list["files"] = new JsonArray(page.Select(f => (JsonNode)DriveResources.File(f, caller.User)).ToArray());
        return Json(fields.Apply(list));
    }

    private static IResult GetFile(string fileId, HttpContext context)
    {
        var caller = DriveCaller.Of(context);
        var query = context.Request.Query;
        if (FindVisible(fileId, caller, query, context.RequestServices.GetRequiredService<DriveDocuments>()) is not { } file)
        {
            return DriveErrors.FileNotFound(fileId);
        }
        switch (query["alt"].FirstOrDefault())
        {
            case null or "json":
                if (Fields(query["fields"].FirstOrDefault(), DriveResources.DefaultFile, DriveResources.FileFields, out var fields) is { } badFields)
                {
                    return badFields;
                }
                return Json(fields.Apply(DriveResources.File(file, caller.User)));
            case "media":
                if (!caller.CanReadContent)
                {
                    return DriveErrors.InsufficientScopes();
                }
                if (file.IsGoogleType)
                {
                    return DriveErrors.Of(StatusCodes.Status403Forbidden, "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
                        "global", "fileNotDownloadable", "alt", "parameter");
                }
                context.RequestServices.GetRequiredService<ContentReads>().Count(GoogleEmulator.Provider);
                return TypedResults.File(file.Bytes, file.MimeType);
            default:
                return DriveErrors.InvalidParameter("alt");
        }
    }

    private static IResult ExportFile(string fileId, HttpContext context)
    {
        var caller = DriveCaller.Of(context);
        var query = context.Request.Query;
        // files.export has no supportsAllDrives parameter: Drive exports a shared drive's Docs to its members without one.
        if (context.RequestServices.GetRequiredService<DriveDocuments>().Find(fileId) is not { } file || !DriveWorkspace.Sample.CanSee(caller.User.Id, file))
        {
            return DriveErrors.FileNotFound(fileId);
        }
        if (query["mimeType"].FirstOrDefault() is not { Length: > 0 } mimeType)
        {
            return DriveErrors.Required("mimeType");
        }
        if (!caller.CanReadContent)
        {
            return DriveErrors.InsufficientScopes();
        }
        if (file.MimeType != DriveMimeTypes.Document)
        {
            return DriveErrors.Of(StatusCodes.Status403Forbidden, "Export only supports Docs Editors files.", "global", "fileNotExportable", "fileId", "parameter");
        }
        if (!DriveFileFormats.DocumentExports.Contains(mimeType, StringComparer.Ordinal))
        {
            return DriveErrors.Of(StatusCodes.Status400BadRequest, "The requested conversion is not supported.", "global", "badRequest", "convertTo", "parameter");
        }
        var bytes = DriveFileFormats.Export(file.Markdown(), mimeType);
        if (bytes.Length > ExportLimitBytes)
        {
            return DriveErrors.Of(StatusCodes.Status403Forbidden, "This file is too large to be exported.", "global", "exportSizeLimitExceeded");
        }
        context.RequestServices.GetRequiredService<ContentReads>().Count(GoogleEmulator.Provider);
        return TypedResults.File(bytes, $"{mimeType}; charset=utf-8");
    }

    private static IResult ListDrives(HttpContext context)
    {
        var caller = DriveCaller.Of(context);
        if (Fields(context.Request.Query["fields"].FirstOrDefault(), DriveResources.DefaultDriveList, DriveResources.DriveListFields, out var fields) is { } badFields)
        {
            return badFields;
        }
        var drives = DriveWorkspace.Sample.Drives.Where(d => DriveWorkspace.Sample.IsMember(caller.User.Id, d));
        var list = new JsonObject
        {
            ["kind"] = "drive#driveList",
            ["drives"] = new JsonArray(drives.Select(d => (JsonNode)DriveResources.Drive(d)).ToArray()),
        };
        return Json(fields.Apply(list));
    }

    private static IResult GetDrive(string driveId, HttpContext context)
    {
        var caller = DriveCaller.Of(context);
        if (DriveWorkspace.Sample.Drives.FirstOrDefault(d => d.Id == driveId && DriveWorkspace.Sample.IsMember(caller.User.Id, d)) is not { } drive)
        {
            return DriveErrors.DriveNotFound(driveId);
        }
        if (Fields(context.Request.Query["fields"].FirstOrDefault(), DriveResources.DefaultDrive, DriveResources.DriveFieldNames, out var fields) is { } badFields)
        {
            return badFields;
        }
        return Json(fields.Apply(DriveResources.Drive(drive)));
    }

    /// <summary>A file the caller may see; shared-drive files only for callers that say they support shared drives, as Drive does.</summary>
    private static DriveFile? FindVisible(string fileId, DriveCaller caller, IQueryCollection query, DriveDocuments documents) =>
        documents.Find(fileId) is { } file
        && DriveWorkspace.Sample.CanSee(caller.User.Id, file)
        && (file.DriveId is null || Flag(query, "supportsAllDrives") == true)
            ? file
            : null;

    private static List<DriveFile> Sort(List<DriveFile> files, DriveQuery? q, List<string[]> order)
    {
        if (q?.HasFullText == true)
        {
            var words = q.FullTextWords.ToList();
            return [.. files.OrderByDescending(f => f.Text.Count(words)).ThenBy(f => f.Id, StringComparer.Ordinal)];
        }
        if (order.Count == 0)
        {
            order = [["modifiedTime", "desc"]];
        }
        IOrderedEnumerable<DriveFile>? sorted = null;
        foreach (var key in order)
        {
            Func<DriveFile, IComparable> selector = key[0] switch
            {
                "name" or "name_natural" => f => f.Name,
                "createdTime" => f => f.Created,
                "folder" => f => f.MimeType == DriveMimeTypes.Folder ? 0 : 1,
                "modifiedTime" or "recency" or "modifiedByMeTime" or "viewedByMeTime" => f => f.Modified,
                _ => _ => 0,
            };
            var descending = key.Length == 2;
            sorted = sorted is null
                ? descending ? files.OrderByDescending(selector) : files.OrderBy(selector)
                : descending ? sorted.ThenByDescending(selector) : sorted.ThenBy(selector);
        }
        return [.. sorted!.ThenBy(f => f.Id, StringComparer.Ordinal)];
    }

    private static IResult? Fields(string? text, DriveFields defaults, IReadOnlySet<string> known, out DriveFields fields)
    {
        fields = defaults;
        if (text is null)
        {
            return null;
        }
        if (DriveFields.Parse(text) is not { } parsed)
        {
            return DriveErrors.Of(StatusCodes.Status400BadRequest, $"Invalid field selection {text}", "global", "invalidParameter", "fields", "parameter");
        }
        if (parsed.UnknownField(known) is { } unknown)
        {
            return DriveErrors.Of(StatusCodes.Status400BadRequest, $"Invalid field selection {unknown}", "global", "invalidParameter", "fields", "parameter");
        }
        fields = parsed;
        return null;
    }

    /// <summary>A boolean query parameter: false when absent, null when neither true nor false.</summary>
    private static bool? Flag(IQueryCollection query, string name) => query[name].FirstOrDefault() switch
    {
        null or "" or "false" => false,
        "true" => true,
        _ => null,
    };

    /// <summary>Page tokens are bound to the query they page, as Drive's are: another query's token is refused.</summary>
    private static string Fingerprint(params object?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts))))[..16];

    private static string PageToken(int offset, string fingerprint) =>
        WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes($"{offset.ToString(CultureInfo.InvariantCulture)}~{fingerprint}"));

    private static bool TryReadPageToken(string token, string fingerprint, out int offset)
    {
        offset = 0;
        try
        {
            var parts = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token)).Split('~');
            return parts.Length == 2 && parts[1] == fingerprint
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static ContentHttpResult Json(JsonObject body) => TypedResults.Text(body.ToJsonString(), "application/json; charset=UTF-8");
}
