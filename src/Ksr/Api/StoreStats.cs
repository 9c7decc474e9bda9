using Prometheus;

namespace ContivKsr.Ksr.Api;

/// <summary>The metrics of the store side: batches, write errors, outages, detected data loss, write latency.</summary>
public sealed class StoreStats
{
    private readonly Counter batches;
    private readonly Counter operations;
    private readonly Counter writeErrors;
    private readonly Counter probeErrors;
    private readonly Counter reconnects;
    private readonly Counter dataLoss;
    private readonly Histogram writeLatency;

    internal StoreStats(IMetricFactory metrics)
    {
        batches = metrics.CreateCounter("contiv_ksr_store_batches_total", "Batches written to the store.");
        operations = metrics.CreateCounter("contiv_ksr_store_operations_total", "Puts and deletes written to the store.");
        writeErrors = metrics.CreateCounter("contiv_ksr_store_write_errors_total", "Failed batch writes (retried).");
        probeErrors = metrics.CreateCounter("contiv_ksr_store_probe_errors_total", "Failed store health probes.");
        reconnects = metrics.CreateCounter("contiv_ksr_store_reconnects_total", "Times the store became reachable again.");
        dataLoss = metrics.CreateCounter("contiv_ksr_store_data_loss_total",
            "Times the store was found to have lost data (marker key gone, or its revision went backwards).");
        writeLatency = metrics.CreateHistogram("contiv_ksr_store_write_latency_seconds",
            "From a key's change being queued (its oldest unwritten change, when changes coalesced) to the store confirming it.",
            new HistogramConfiguration { Buckets = [0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    public long Batches => (long)batches.Value;

    public long Operations => (long)operations.Value;

    public long WriteErrors => (long)writeErrors.Value;

    public long ProbeErrors => (long)probeErrors.Value;

    public long Reconnects => (long)reconnects.Value;

    /// <summary>Times the store was found to have lost data (marker key gone or its revision went backwards).</summary>
    public long DataLoss => (long)dataLoss.Value;

    /// <summary>Writes timed by <see cref="RecordWriteLatency"/>.</summary>
    public long WriteLatencyCount => writeLatency.Count;

    public TimeSpan WriteLatencySum => TimeSpan.FromSeconds(writeLatency.Sum);

    public void RecordBatch(int count)
    {
        batches.Inc();
        operations.Inc(count);
    }

    public void RecordWriteLatency(TimeSpan latency) => writeLatency.Observe(latency.TotalSeconds);

    public void RecordWriteError() => writeErrors.Inc();

    public void RecordProbeError() => probeErrors.Inc();

    public void RecordReconnect() => reconnects.Inc();

    public void RecordDataLoss() => dataLoss.Inc();
}
