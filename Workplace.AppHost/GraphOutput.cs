namespace Workplace.AppHost;

/// <summary>Where the graph's own messages and its resources' log lines go.</summary>
public interface IGraphOutput
{
    /// <summary>A line a resource wrote to stdout or stderr.</summary>
    void Line(string resource, string line);

    /// <summary>A message from the AppHost about a resource (started, healthy, crashed, …).</summary>
    void Info(string resource, string message);
}

/// <summary>Console output, each line prefixed by its resource's name, in a per-resource color on a terminal.</summary>
public sealed class ConsoleGraphOutput : IGraphOutput
{
    private const string Reset = "\u001b[0m";
    private static readonly string[] s_palette = ["\u001b[36m", "\u001b[35m", "\u001b[33m", "\u001b[32m", "\u001b[34m"];
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _colors = new(StringComparer.Ordinal);

    public static bool IsTerminal => !Console.IsOutputRedirected;

    public void Line(string resource, string line) => Write(resource, line);

    public void Info(string resource, string message) => Write(resource, $"▶ {message}");

    private void Write(string resource, string text)
    {
        lock (_lock)
        {
            var prefix = resource.PadRight(10);
            if (IsTerminal)
            {
                if (!_colors.TryGetValue(resource, out var color))
                {
                    color = s_palette[_colors.Count % s_palette.Length];
                    _colors[resource] = color;
                }
                Console.Out.WriteLine($"{color}{prefix}{Reset} | {text}");
            }
            else
            {
                Console.Out.WriteLine($"{prefix} | {text}");
            }
        }
    }
}
