using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workplace.Connectors.Sources.GoogleDrive;

/// <summary>A page of files.list, with only the fields <see cref="DriveClient"/> asks for.</summary>
public sealed record DriveFileList(string? NextPageToken = null, IReadOnlyList<DriveFile>? Files = null);

/// <summary>
/// A Drive file's metadata, as much as the call asked for (fetch leaves out the snippet's and the author's fields);
/// <see cref="Size"/> is an int64 sent as a string, and absent for Google's own types.
/// </summary>
public sealed record DriveFile(
    string Id,
    string Name,
    string MimeType,
    string? Description = null,
    string? WebViewLink = null,
    DateTimeOffset? ModifiedTime = null,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long? Size = null,
    DriveUser? LastModifyingUser = null,
    IReadOnlyList<DriveUser>? Owners = null,
    string? Version = null);

public sealed record DriveUser(string? DisplayName = null, string? EmailAddress = null);

/// <summary>Google's error body: <c>{"error":{"code","message","errors":[{"domain","reason","message"}]}}</c>.</summary>
public sealed record DriveErrorResponse(DriveErrorBody? Error = null);

public sealed record DriveErrorBody(int Code = 0, string? Message = null, IReadOnlyList<DriveErrorItem>? Errors = null);

public sealed record DriveErrorItem(string? Domain = null, string? Reason = null, string? Message = null);

// A file without id, name or mimeType is not Drive's answer: refused as malformed rather than carried on as null.
// Every other field may be absent (the call did not ask for it), so it has a default.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(DriveFileList))]
[JsonSerializable(typeof(DriveFile))]
[JsonSerializable(typeof(DriveErrorResponse))]
public sealed partial class DriveJsonContext : JsonSerializerContext;
