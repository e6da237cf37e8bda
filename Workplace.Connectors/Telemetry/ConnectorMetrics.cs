using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Workplace.Connectors.Telemetry;

/// <summary>The service's own instruments, on the meter <see cref="MeterName"/>.</summary>
public sealed class ConnectorMetrics
{
    public const string MeterName = "Workplace.Connectors";

    private readonly Meter _meter;
    private readonly Counter<long> _searches;
    private readonly Histogram<double> _searchDuration;
    private readonly Counter<long> _fetches;
    private readonly Counter<long> _documentCache;

    public ConnectorMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _searches = _meter.CreateCounter<long>("workplace.connectors.searches", "{search}", "Searches answered, by source and outcome.");
        _searchDuration = _meter.CreateHistogram<double>("workplace.connectors.search.duration", "s", "Time a source took to answer a search.");
        _fetches = _meter.CreateCounter<long>("workplace.connectors.fetches", "{fetch}", "Document ranges served, by source and outcome.");
        _documentCache = _meter.CreateCounter<long>("workplace.connectors.document_cache", "{read}", "Provider documents read through the document cache, by source and outcome (hit, miss, too_large, unversioned).");
    }

    public void RecordSearch(string source, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "source", source }, { "outcome", outcome } };
        _searches.Add(1, tags);
        _searchDuration.Record(elapsed.TotalSeconds, tags);
    }

    public void RecordFetch(string source, string outcome) =>
        _fetches.Add(1, new TagList { { "source", source }, { "outcome", outcome } });

    public void RecordDocumentCache(string source, string outcome) =>
        _documentCache.Add(1, new TagList { { "source", source }, { "outcome", outcome } });

    /// <summary>Publishes the number of documents a source holds in its index.</summary>
    public void ObserveIndexSize(string source, Func<long> documents) =>
        _meter.CreateObservableGauge("workplace.connectors.index.documents", () => new Measurement<long>(documents(), new KeyValuePair<string, object?>("source", source)), "{document}", "Documents in a source's local index.");
}
