using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workplace.Connectors.Sources.GoogleDrive;

/// <summary>A page of files.list, with only the fields <see cref="DriveClient"/> asks for.</summary>
public sealed record DriveFileList(string? NextPageToken, IReadOnlyList<DriveFile>? Files);

/// <summary>
/// A Drive file's metadata, as much as the call asked for (fetch leaves out the snippet's and the author's fields);
/// <see cref="Size"/> is an int64 sent as a string, and absent for Google's own types.
/// </summary>
public sealed record DriveFile(
    string Id,
    string Name,
    string MimeType,
    string? Description,
    string? WebViewLink,
    DateTimeOffset? ModifiedTime,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] long? Size,
    DriveUser? LastModifyingUser,
    IReadOnlyList<DriveUser>? Owners);

public sealed record DriveUser(string? DisplayName, string? EmailAddress);

/// <summary>Google's error body: <c>{"error":{"code","message","errors":[{"domain","reason","message"}]}}</c>.</summary>
public sealed record DriveErrorResponse(DriveErrorBody? Error);

public sealed record DriveErrorBody(int Code, string? Message, IReadOnlyList<DriveErrorItem>? Errors);

public sealed record DriveErrorItem(string? Domain, string? Reason, string? Message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DriveFileList))]
[JsonSerializable(typeof(DriveFile))]
[JsonSerializable(typeof(DriveErrorResponse))]
public sealed partial class DriveJsonContext : JsonSerializerContext;
