using System.Collections.Concurrent;
using Workplace.AppHost;

namespace Workplace.Tests.Graph;

/// <summary>Keeps the graph's output so a failing assertion can show what the services said.</summary>
public sealed class CollectingGraphOutput : IGraphOutput
{
    private readonly ConcurrentQueue<string> _lines = new();

    public void Line(string resource, string line) => Add($"{resource} | {line}");

    public void Info(string resource, string message) => Add($"{resource} | ▶ {message}");

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Tail(int count = 40) => string.Join(Environment.NewLine, _lines.TakeLast(count));

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > 2000 && _lines.TryDequeue(out _))
        {
        }
    }
}
