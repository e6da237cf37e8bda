namespace Workplace.Tests.Conformance;

/// <summary>
/// The suites time some checks with sub-second deadlines; run alone, after the parallel collections, so other test
/// classes competing for two cores cannot make the server look slow.
/// </summary>
[CollectionDefinition(nameof(ConformanceTests), DisableParallelization = true)]
public sealed class ConformanceCollection;
