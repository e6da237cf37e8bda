namespace Workplace.Emulators;

/// <summary>A public type of this assembly, for WebApplicationFactory in the tests (the entry point is generated).</summary>
public sealed class EmulatorsAssembly;
