using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Workplace.Emulators.Workspace;

namespace Workplace.Emulators.Graph;

/// <summary>A driveItem as Graph serializes it (the properties a reader of files uses).</summary>
public sealed record DriveItemResource(
    string Id,
    string Name,
    string ETag,
    string CTag,
    long Size,
    string WebUrl,
    DateTime CreatedDateTime,
    DateTime LastModifiedDateTime,
    IdentitySet CreatedBy,
    IdentitySet LastModifiedBy,
    ItemReference ParentReference,
    FileFacet File,
    FileSystemInfoFacet FileSystemInfo)
{
    [JsonPropertyName("@odata.type")]
    [JsonPropertyOrder(-2)]
    public string? ODataType { get; init; }

    [JsonPropertyName("@odata.context")]
    [JsonPropertyOrder(-3)]
    public string? ODataContext { get; init; }

    [JsonPropertyName("@microsoft.graph.downloadUrl")]
    [JsonPropertyOrder(-1)]
    public string? DownloadUrl { get; init; }

    public static DriveItemResource Of(GraphDriveItem item)
    {
        var author = new IdentitySet(new Identity(GraphWorkspace.UserId(item.Author), item.Author.Name, item.Author.Email));
        return new DriveItemResource(
            item.Id, item.Name, $"\"{{{item.ETagGuid}}},{item.Version}\"", $"\"c:{{{item.ETagGuid}}},{item.Version}\"", item.Content.LongLength, item.WebUrl,
            item.Created.UtcDateTime, item.Modified.UtcDateTime, author, author,
            new ItemReference(item.Drive.Id, item.Drive.DriveType, item.Drive.SiteId, "/drive/root:"),
            new FileFacet(item.MimeType),
            new FileSystemInfoFacet(item.Created.UtcDateTime, item.Modified.UtcDateTime));
    }
}

public sealed record IdentitySet(Identity User);

public sealed record Identity(string Id, string DisplayName, string Email);

public sealed record ItemReference(string DriveId, string DriveType, string SiteId, string Path);

public sealed record FileFacet(string MimeType);

public sealed record FileSystemInfoFacet(DateTime CreatedDateTime, DateTime LastModifiedDateTime);

/// <summary>
/// <c>GET /drives/{d}/items/{i}</c>, <c>/me/drive/items/{i}</c>, <c>/sites/{s}/drive/items/{i}</c> and each one's
/// <c>/content</c> (a 302 to a pre-authenticated download URL). An item the caller may not see is 404 itemNotFound,
/// as is an item asked for through a drive that does not hold it.
/// </summary>
public static class DriveItems
{
    public static void MapDriveItems(this IEndpointRouteBuilder api)
    {
        api.MapGet("/drives/{driveId}/items/{itemId}", (HttpContext http, string driveId, string itemId, GraphWorkspace workspace, GraphDownloads downloads) =>
            Metadata(http, Find(http, workspace, workspace.FindDrive(driveId), itemId), downloads, $"drives('{driveId}')/items/$entity"));
        api.MapGet("/drives/{driveId}/items/{itemId}/content", (HttpContext http, string driveId, string itemId, GraphWorkspace workspace, GraphDownloads downloads) =>
            Content(http, Find(http, workspace, workspace.FindDrive(driveId), itemId), downloads));
        api.MapGet("/me/drive/items/{itemId}", (HttpContext http, string itemId, GraphWorkspace workspace, GraphDownloads downloads) =>
            Metadata(http, Find(http, workspace, workspace.OneDriveOf(GraphCaller.Of(http).User), itemId), downloads, "users('me')/drive/items/$entity"));
        api.MapGet("/me/drive/items/{itemId}/content", (HttpContext http, string itemId, GraphWorkspace workspace, GraphDownloads downloads) =>
            Content(http, Find(http, workspace, workspace.OneDriveOf(GraphCaller.Of(http).User), itemId), downloads));
        api.MapGet("/sites/{siteId}/drive/items/{itemId}", (HttpContext http, string siteId, string itemId, GraphWorkspace workspace, GraphDownloads downloads) =>
            Metadata(http, Find(http, workspace, workspace.FindSiteDrive(siteId), itemId), downloads, $"sites('{siteId}')/drive/items/$entity"));
        api.MapGet("/sites/{siteId}/drive/items/{itemId}/content", (HttpContext http, string siteId, string itemId, GraphWorkspace workspace, GraphDownloads downloads) =>
            Content(http, Find(http, workspace, workspace.FindSiteDrive(siteId), itemId), downloads));
    }

    private static GraphDriveItem? Find(HttpContext http, GraphWorkspace workspace, GraphDrive? drive, string itemId)
    {
        var user = GraphCaller.Of(http).User;
        return workspace.FindItem(itemId) is { } item && item.Drive == drive && item.IsVisibleTo(user) ? item : null;
    }

    private static IResult Metadata(HttpContext http, GraphDriveItem? item, GraphDownloads downloads, string context) =>
        item is null
            ? GraphErrors.ItemNotFound(http)
            : Results.Json(DriveItemResource.Of(item) with
            {
                ODataContext = $"https://graph.microsoft.com/v1.0/$metadata#{context}",
                DownloadUrl = downloads.UrlFor(http, item),
            }, GraphJson.Api);

    private static IResult Content(HttpContext http, GraphDriveItem? item, GraphDownloads downloads) =>
        item is null ? GraphErrors.ItemNotFound(http) : Results.Redirect(downloads.UrlFor(http, item));
}

/// <summary>
/// Pre-authenticated download URLs, as SharePoint hands out: <c>/graph/_layouts/15/download.aspx?UniqueId=…&amp;tempauth=…</c>,
/// good for an hour without a bearer token.
/// </summary>
public sealed class GraphDownloads(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, (GraphDriveItem Item, DateTimeOffset ExpiresAt)> _links = new(StringComparer.Ordinal);

    public string UrlFor(HttpContext http, GraphDriveItem item)
    {
        var tempauth = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        _links[tempauth] = (item, time.GetUtcNow() + Lifetime);
        return $"{http.Request.Scheme}://{http.Request.Host}/graph/_layouts/15/download.aspx?UniqueId={item.ETagGuid}&tempauth={tempauth}";
    }

    public GraphDriveItem? Resolve(string? tempauth, string? uniqueId) =>
        tempauth is not null && _links.TryGetValue(tempauth, out var link) && link.ExpiresAt > time.GetUtcNow()
            && string.Equals(link.Item.ETagGuid, uniqueId, StringComparison.OrdinalIgnoreCase)
            ? link.Item
            : null;
}

public static class GraphDownloadEndpoint
{
    public static void MapDownloads(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/graph/_layouts/15/download.aspx", (string? uniqueId, string? tempauth, GraphDownloads downloads, ContentReads reads) =>
            downloads.Resolve(tempauth, uniqueId) is { } item
                ? Download(item, reads)
                : Results.Json(new SharePointError(new SharePointErrorDetail("-2147024891, System.UnauthorizedAccessException",
                    new SharePointMessage("en-US", "Access denied. The download link is unknown or expired; ask Graph for the item's content again."))),
                    GraphJson.Api, statusCode: StatusCodes.Status401Unauthorized));

    private static IResult Download(GraphDriveItem item, ContentReads reads)
    {
        reads.Count(GraphEmulator.Provider);
        return Results.Bytes(item.Content, item.MimeType, item.Name);
    }

    private sealed record SharePointError(SharePointErrorDetail Error);

    private sealed record SharePointErrorDetail(string Code, SharePointMessage Message);

    private sealed record SharePointMessage(string Lang, string Value);
}
