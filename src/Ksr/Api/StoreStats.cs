namespace ContivKsr.Ksr.Api;

/// <summary>Counters of the store side: batches, write errors, outages and detected data loss.</summary>
public sealed class StoreStats
{
    private long batches;
    private long operations;
    private long writeErrors;
    private long probeErrors;
    private long reconnects;
    private long dataLoss;

    /// <summary>From a key's change being queued (its oldest unwritten change, when changes coalesced) to the store confirming it.</summary>
    public LatencyHistogram WriteLatency { get; } = new();

    public long Batches => Interlocked.Read(ref batches);

    public long Operations => Interlocked.Read(ref operations);

    public long WriteErrors => Interlocked.Read(ref writeErrors);

    public long ProbeErrors => Interlocked.Read(ref probeErrors);

    public long Reconnects => Interlocked.Read(ref reconnects);

    /// <summary>Times the store was found to have lost data (marker key gone or its revision went backwards).</summary>
    public long DataLoss => Interlocked.Read(ref dataLoss);

    public void RecordBatch(int count)
    {
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref operations, count);
    }

    public void RecordWriteError() => Interlocked.Increment(ref writeErrors);

    public void RecordProbeError() => Interlocked.Increment(ref probeErrors);

    public void RecordReconnect() => Interlocked.Increment(ref reconnects);

    public void RecordDataLoss() => Interlocked.Increment(ref dataLoss);
}
