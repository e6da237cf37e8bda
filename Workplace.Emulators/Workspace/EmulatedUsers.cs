namespace Workplace.Emulators.Workspace;

/// <summary>One person of Halcyon Robotics, the fictional company of samples/workspace, as every emulator knows them.</summary>
public sealed record EmulatedUser(string Id, string Name, string Email, string Department);

/// <summary>
/// The people every emulated workspace has, with different reach: Aditi in Engineering, Renata in Sales, Priya in
/// People Ops. Each provider's sample content gives each of them private documents, documents shared with some, and
/// documents only some can see, so a test can tell one person's results from another's.
/// </summary>
public static class EmulatedUsers
{
    public static EmulatedUser Aditi { get; } = new("aditi", "Aditi Raman", "aditi.raman@halcyon-robotics.example", "Engineering");

    public static EmulatedUser Renata { get; } = new("renata", "Renata Vashti", "renata.vashti@halcyon-robotics.example", "Sales");

    public static EmulatedUser Priya { get; } = new("priya", "Priya Castellanos", "priya.castellanos@halcyon-robotics.example", "People Ops");

    public static IReadOnlyList<EmulatedUser> All { get; } = [Aditi, Renata, Priya];

    public static EmulatedUser? Find(string id) => All.FirstOrDefault(u => string.Equals(u.Id, id, StringComparison.Ordinal));
}
