using Prometheus;

namespace ContivKsr.Ksr.Api;

/// <summary>The metrics of one reflector, labelled with its kind. Thread-safe.</summary>
public sealed class ReflectorStats
{
    /// <summary>What <see cref="RecordError"/> takes: list, watch, gone (410), conversion.</summary>
    public static readonly IReadOnlyList<string> ErrorKinds = ["list", "watch", "gone", "conversion"];

    private readonly Counter.Child adds;
    private readonly Counter.Child updates;
    private readonly Counter.Child deletes;
    private readonly Counter.Child unchanged;
    private readonly Counter.Child resyncs;
    private readonly Counter.Child resyncFixes;
    private readonly Counter.Child relists;
    private readonly Dictionary<string, Counter.Child> errors;

    internal ReflectorStats(string kind, IMetricFactory metrics)
    {
        var written = metrics.CreateCounter("contiv_ksr_objects_written_total",
            "Objects written to the store, by kind and change (add, update, delete), from watch events and listings.", ["kind", "change"]);
        adds = written.WithLabels(kind, "add");
        updates = written.WithLabels(kind, "update");
        deletes = written.WithLabels(kind, "delete");
        unchanged = metrics.CreateCounter("contiv_ksr_objects_unchanged_total",
            "Watch events whose value equalled the one held, so nothing was written.", ["kind"]).WithLabels(kind);
        resyncs = metrics.CreateCounter("contiv_ksr_resyncs_total", "Resyncs run, by kind.", ["kind"]).WithLabels(kind);
        resyncFixes = metrics.CreateCounter("contiv_ksr_resync_fixes_total",
            "Keys a resync had to add, update or delete: differences the watch did not fix.", ["kind"]).WithLabels(kind);
        relists = metrics.CreateCounter("contiv_ksr_relists_total", "Listings after the first (410 Gone).", ["kind"]).WithLabels(kind);
        var errorCounter = metrics.CreateCounter("contiv_ksr_errors_total",
            "Reflector errors, by kind and error (list, watch, gone, conversion).", ["kind", "error"]);
        errors = ErrorKinds.ToDictionary(error => error, error => errorCounter.WithLabels(kind, error), StringComparer.Ordinal);
    }

    public long Adds => Read(adds);

    public long Updates => Read(updates);

    public long Deletes => Read(deletes);

    /// <summary>Events whose encoded value equalled the stored one, so nothing was written.</summary>
    public long Unchanged => Read(unchanged);

    public long Resyncs => Read(resyncs);

    /// <summary>Keys a resync had to add, update or delete: each one is a difference the watch did not fix.</summary>
    public long ResyncFixes => Read(resyncFixes);

    public long Relists => Read(relists);

    /// <summary>The errors that happened, by <see cref="ErrorKinds">kind</see>.</summary>
    public IReadOnlyDictionary<string, long> Errors =>
        errors.Where(error => error.Value.Value > 0).ToDictionary(error => error.Key, error => Read(error.Value), StringComparer.Ordinal);

    public void RecordAdd() => adds.Inc();

    public void RecordUpdate() => updates.Inc();

    public void RecordDelete() => deletes.Inc();

    public void RecordUnchanged() => unchanged.Inc();

    /// <summary>A listing's changes count as events: objects added, changed or deleted while not watched.</summary>
    public void RecordListed(Store.SyncCounts counts)
    {
        adds.Inc(counts.Added);
        updates.Inc(counts.Updated);
        deletes.Inc(counts.Deleted);
    }

    public void RecordRelist() => relists.Inc();

    public void RecordResync(int fixes)
    {
        resyncs.Inc();
        resyncFixes.Inc(fixes);
    }

    /// <param name="error">One of <see cref="ErrorKinds"/>.</param>
    public void RecordError(string error) => errors[error].Inc();

    private static long Read(Counter.Child counter) => (long)counter.Value;
}
