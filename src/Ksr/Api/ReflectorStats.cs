using System.Collections.Concurrent;

namespace ContivKsr.Ksr.Api;

/// <summary>Counters of one reflector. Thread-safe; read by /stats and /metrics.</summary>
public sealed class ReflectorStats(string name)
{
    private long adds;
    private long updates;
    private long deletes;
    private long unchanged;
    private long resyncs;
    private long resyncFixes;
    private long relists;

    public string Name { get; } = name;

    public long Adds => Interlocked.Read(ref adds);

    public long Updates => Interlocked.Read(ref updates);

    public long Deletes => Interlocked.Read(ref deletes);

    /// <summary>Events whose encoded value equalled the stored one, so nothing was written.</summary>
    public long Unchanged => Interlocked.Read(ref unchanged);

    public long Resyncs => Interlocked.Read(ref resyncs);

    /// <summary>Keys a resync had to add, update or delete: each one is a difference the watch did not fix.</summary>
    public long ResyncFixes => Interlocked.Read(ref resyncFixes);

    public long Relists => Interlocked.Read(ref relists);

    /// <summary>Errors by kind: list, watch, gone (410), conversion.</summary>
    public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public void RecordAdd() => Interlocked.Increment(ref adds);

    public void RecordUpdate() => Interlocked.Increment(ref updates);

    public void RecordDelete() => Interlocked.Increment(ref deletes);

    public void RecordUnchanged() => Interlocked.Increment(ref unchanged);

    /// <summary>A listing's changes count as events: objects added, changed or deleted while not watched.</summary>
    public void RecordListed(Store.SyncCounts counts)
    {
        Interlocked.Add(ref adds, counts.Added);
        Interlocked.Add(ref updates, counts.Updated);
        Interlocked.Add(ref deletes, counts.Deleted);
    }

    public void RecordRelist() => Interlocked.Increment(ref relists);

    public void RecordResync(int fixes)
    {
        Interlocked.Increment(ref resyncs);
        Interlocked.Add(ref resyncFixes, fixes);
    }

    public void RecordError(string kind) => Errors.AddOrUpdate(kind, 1, (_, count) => count + 1);
}
