namespace Workplace.Tests.Connectors;

/// <summary>
/// WebApplicationFactory finds the app's host through a process-wide diagnostic listener, so two factories for
/// the same entry point starting at once can pick up each other's host: the Connectors test classes run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConnectorsCollection
{
    public const string Name = "Connectors";
}
