using System.Text.Json;
using Workplace.Connectors.Sources.GoogleDrive;

namespace Workplace.Tests.Sources.GoogleDrive;

/// <summary>What the Drive client accepts as an answer: Drive's fields, as many as were asked for, and nothing without an id.</summary>
public sealed class DrivePayloadTests
{
    [Fact]
    public void FileList_WithOnlyTheFieldsAskedFor_Reads()
    {
        var list = JsonSerializer.Deserialize("""{"files":[{"id":"1a","name":"n","mimeType":"text/plain","size":"12","modifiedTime":"2026-02-01T10:00:00.000Z"}]}""", DriveJsonContext.Default.DriveFileList)!;

        var file = Assert.Single(list.Files!);
        Assert.Equal(12, file.Size);
        Assert.Null(list.NextPageToken);
        Assert.Null(file.Owners);
    }

    [Theory]
    [InlineData("""{"files":[{"name":"n","mimeType":"text/plain"}]}""")]
    [InlineData("""{"files":[{"id":null,"name":"n","mimeType":"text/plain"}]}""")]
    [InlineData("""{"files":[{"id":"1a","name":"n","mimeType":"text/plain","size":"lots"}]}""")]
    [InlineData("""{"files":{"id":"1a"}}""")]
    public void FileList_NotInDrivesShape_IsMalformed(string json) =>
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, DriveJsonContext.Default.DriveFileList));
}
