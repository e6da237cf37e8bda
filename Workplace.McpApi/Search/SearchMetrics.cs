using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Workplace.McpApi.Search;

/// <summary>The search fan-out's instruments, on the meter <see cref="MeterName"/>.</summary>
public sealed class SearchMetrics
{
    public const string MeterName = "Workplace.McpApi";

    private readonly Counter<long> _sourceSearches;
    private readonly Histogram<double> _sourceDuration;
    private readonly Counter<long> _cacheLookups;

    public SearchMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _sourceSearches = meter.CreateCounter<long>("workplace.search.source.requests", "{request}", "Per-source searches, by source and status.");
        _sourceDuration = meter.CreateHistogram<double>("workplace.search.source.duration", "s", "Time each source took to answer a search.");
        _cacheLookups = meter.CreateCounter<long>("workplace.search.cache.lookups", "{lookup}", "Search result cache lookups, by result (hit, miss, unavailable: Redis down, disabled: Search:CacheTtl is 0).");
    }

    public void RecordSource(string source, string status, long latencyMs)
    {
        var tags = new TagList { { "source", source }, { "status", status } };
        _sourceSearches.Add(1, tags);
        _sourceDuration.Record(latencyMs / 1000.0, tags);
    }

    public void RecordCache(string result) => _cacheLookups.Add(1, new KeyValuePair<string, object?>("result", result));
}
