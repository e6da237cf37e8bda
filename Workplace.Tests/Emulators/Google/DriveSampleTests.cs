using Workplace.Emulators.Google.Workspace;
using Workplace.Emulators.Workspace;

namespace Workplace.Tests.Emulators.Google;

/// <summary>The sample Drive holds what the connectors' tests need: enough documents, long ones, and reach that differs per person.</summary>
public sealed class DriveSampleTests
{
    private static readonly DriveWorkspace Drive = DriveWorkspace.Sample;

    [Fact]
    public void TheSample_HasTwelveDocumentsOrMore_InEveryFormatDriveHolds()
    {
        var documents = Drive.Files.Where(f => f.MimeType != DriveMimeTypes.Folder).ToList();

        Assert.True(documents.Count >= 12, $"{documents.Count} documents");
        Assert.Equal(
            [DriveMimeTypes.Pdf, DriveMimeTypes.Document, DriveMimeTypes.Docx, DriveMimeTypes.Html, DriveMimeTypes.Text],
            documents.Select(f => f.MimeType).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(documents.Count, documents.Select(f => f.Id).Distinct().Count());
    }

    [Fact]
    public void SomeDocuments_RunOver4000Words()
    {
        var longOnes = Drive.Files.Where(f => f.MimeType != DriveMimeTypes.Folder && DriveText.Words(f.Markdown()).Count() > 4000).Select(f => f.Name).ToList();

        Assert.Contains("Fleet Console architecture notes", longOnes);
        Assert.Contains("Employee handbook 2026.pdf", longOnes);
    }

    [Fact]
    public void EveryPerson_HasPrivateDocuments_AndDocumentsSharedWithThem()
    {
        foreach (var user in EmulatedUsers.All.Select(u => u.Id))
        {
            var mine = Drive.Files.Where(f => f.DriveId is null && f.Owner == user).ToList();

            Assert.Contains(mine, f => f.SharedWith.Count == 0);
            Assert.Contains(mine, f => f.SharedWith.Count > 0);
            Assert.Contains(Drive.Files, f => f.SharedWith.Contains(user));
        }
        Assert.Contains(Drive.Files, f => f.SharedWith.Count == 2);
        Assert.False(Drive.IsMember("priya", DriveWorkspace.Engineering));
    }
}
