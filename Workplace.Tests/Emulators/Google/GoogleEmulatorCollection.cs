namespace Workplace.Tests.Emulators.Google;

/// <summary>
/// One emulators host for every Google test, which run one at a time: fewer hosts started in parallel (the test
/// factory's host discovery is process-wide), and a fault a test injects applies to that test alone.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GoogleEmulatorCollection : ICollectionFixture<EmulatorsHost>
{
    public const string Name = "Google emulator";
}
