namespace Workplace.Tests.Connectors;

/// <summary>
/// The Connectors test classes start the same app with different settings; running them one at a time keeps
/// process-wide hosting state (WebApplicationFactory's host discovery, listeners) from crossing between them.
/// Together they take a few seconds.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ConnectorsCollection
{
    public const string Name = "Connectors";
}
