using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Workplace.Emulators.Google.Workspace;

/// <summary>
/// Halcyon Robotics' sample Drive: each person's My Drive with private files and files shared with one or two others,
/// and the shared drive "Halcyon Engineering", whose members are Aditi and Renata (Priya sees none of it).
/// Immutable and deterministic, built once per process.
/// </summary>
public sealed class DriveWorkspace
{
    public static SharedDrive Engineering { get; } = new(IdOf("drive:engineering", "0A"), "Halcyon Engineering", ["aditi", "renata"], At(2025, 9, 1));

    // After Engineering: static initializers run in order, and the sample's files live in that drive.
    public static DriveWorkspace Sample { get; } = new();

    public IReadOnlyList<SharedDrive> Drives { get; } = [Engineering];

    public IReadOnlyList<DriveFile> Files { get; }

    private readonly Dictionary<string, DriveFile> _byId;

    private DriveWorkspace()
    {
        var runbooks = IdOf("folder:runbooks");
        Files =
        [
            // Aditi
            new(IdOf("aditi:console-architecture"), "Fleet Console architecture notes", DriveMimeTypes.Document, "aditi", [RootOf("aditi")], At(2026, 1, 12), At(2026, 3, 2, 16, 40),
                DriveLongDocuments.ConsoleArchitectureNotes, description: "Working notes on every Fleet Console component"),
            new(IdOf("aditi:one-on-one"), "1-1 notes Ines Zamora.txt", DriveMimeTypes.Text, "aditi", [RootOf("aditi")], At(2026, 2, 3), At(2026, 2, 24, 9, 15),
                () => DriveSampleTexts.OneOnOneNotes),
            new(IdOf("aditi:old-roadmap"), "Console roadmap draft (old)", DriveMimeTypes.Document, "aditi", [RootOf("aditi")], At(2025, 10, 2), At(2025, 11, 20),
                () => DriveSampleTexts.OldRoadmap, trashed: true),
            new(IdOf("aditi:northwind-demo"), "Northwind pilot demo script", DriveMimeTypes.Document, "aditi", [RootOf("aditi")], At(2026, 2, 10), At(2026, 2, 27, 11, 5),
                () => DriveSampleTexts.NorthwindDemoScript, sharedWith: ["renata"], lastModifiedBy: "renata"),

            // Renata
            new(IdOf("renata:pipeline"), "Renata's Q1 2026 pipeline review", DriveMimeTypes.Document, "renata", [RootOf("renata")], At(2026, 1, 5), At(2026, 3, 1, 18, 20),
                () => DriveSampleTexts.PipelineReview),
            new(IdOf("renata:northwind-proposal"), "Northwind Logistics proposal.docx", DriveMimeTypes.Docx, "renata", [RootOf("renata")], At(2026, 1, 20), At(2026, 2, 14, 13, 0),
                () => DriveSampleTexts.NorthwindProposal),
            new(IdOf("renata:kickoff"), "Sales kickoff 2026 agenda", DriveMimeTypes.Document, "renata", [RootOf("renata")], At(2026, 1, 8), At(2026, 1, 29, 10, 30),
                () => DriveSampleTexts.SalesKickoff, sharedWith: ["aditi", "priya"]),

            // Priya
            new(IdOf("priya:bands"), "Compensation bands 2026", DriveMimeTypes.Document, "priya", [RootOf("priya")], At(2025, 12, 1), At(2026, 2, 20, 15, 45),
                () => DriveSampleTexts.CompensationBands, description: "Confidential: People Ops only"),
            new(IdOf("priya:handbook"), "Employee handbook 2026.pdf", DriveMimeTypes.Pdf, "priya", [RootOf("priya")], At(2025, 12, 15), At(2026, 1, 2, 8, 0),
                DriveLongDocuments.EmployeeHandbook),
            new(IdOf("priya:onboarding"), "Engineering onboarding checklist", DriveMimeTypes.Document, "priya", [RootOf("priya")], At(2026, 1, 14), At(2026, 2, 18, 14, 10),
                () => DriveSampleTexts.OnboardingChecklist, sharedWith: ["aditi"]),
            new(IdOf("priya:commission"), "Sales commission plan FY2026.docx", DriveMimeTypes.Docx, "priya", [RootOf("priya")], At(2025, 12, 10), At(2026, 1, 6, 12, 0),
                () => DriveSampleTexts.CommissionPlan, sharedWith: ["renata"]),

            // The shared drive Halcyon Engineering (Aditi, Renata)
            new(runbooks, "Runbooks", DriveMimeTypes.Folder, "aditi", [Engineering.Id], At(2025, 9, 2), At(2025, 9, 2), () => string.Empty, driveId: Engineering.Id),
            new(IdOf("eng:release-process"), "Fleet Console release process", DriveMimeTypes.Document, "aditi", [runbooks], At(2025, 9, 20), At(2026, 2, 25, 17, 0),
                () => DriveSampleTexts.ReleaseProcess, driveId: Engineering.Id),
            new(IdOf("eng:field-service"), "Field service runbook.html", DriveMimeTypes.Html, "aditi", [runbooks], At(2025, 11, 3), At(2026, 2, 11, 9, 30),
                () => DriveSampleTexts.FieldServiceRunbook, driveId: Engineering.Id),
            new(IdOf("eng:safety-plan"), "Kestrel safety certification plan.pdf", DriveMimeTypes.Pdf, "renata", [Engineering.Id], At(2026, 1, 9), At(2026, 1, 30, 16, 0),
                () => DriveSampleTexts.SafetyCertificationPlan, driveId: Engineering.Id),
            new(IdOf("eng:telemetry-export"), "Fleet telemetry export February 2026", DriveMimeTypes.Document, "aditi", [Engineering.Id], At(2026, 3, 1), At(2026, 3, 1, 6, 0),
                DriveLongDocuments.TelemetryExport, driveId: Engineering.Id, description: "Raw per-minute rollups; too large to export"),
        ];
        _byId = Files.ToDictionary(f => f.Id, StringComparer.Ordinal);
    }

    public DriveFile? Find(string id) => _byId.GetValueOrDefault(id);

    public bool IsMember(string user, SharedDrive drive) => drive.Members.Contains(user, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="user"/> may see <paramref name="file"/> at all.</summary>
    public bool CanSee(string user, DriveFile file) =>
        file.DriveId is { } driveId
            ? Drives.First(d => d.Id == driveId).Members.Contains(user, StringComparer.Ordinal)
            : file.Owner == user || file.SharedWith.Contains(user, StringComparer.Ordinal);

    /// <summary>The id of a user's My Drive root folder, which every file at the top of their My Drive has as parent.</summary>
    public static string RootOf(string user) => IdOf($"root:{user}", "0A");

    /// <summary>Drive-like ids (a type prefix and 32 URL-safe characters), stable across runs.</summary>
    private static string IdOf(string key, string prefix = "1") =>
        prefix + WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];

    private static DateTimeOffset At(int year, int month, int day, int hour = 9, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
