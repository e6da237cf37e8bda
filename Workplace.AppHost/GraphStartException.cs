namespace Workplace.AppHost;

/// <summary>A resource of the graph did not come up; the message says which, why, and shows its last output.</summary>
public sealed class GraphStartException(string resource, string reason, IReadOnlyList<string> recentOutput)
    : Exception(Format(resource, reason, recentOutput))
{
    public string Resource { get; } = resource;

    private static string Format(string resource, string reason, IReadOnlyList<string> recentOutput) =>
        recentOutput.Count == 0
            ? $"{resource} {reason}. It wrote nothing."
            : $"{resource} {reason}. Its last output:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", recentOutput.TakeLast(25))}";
}
