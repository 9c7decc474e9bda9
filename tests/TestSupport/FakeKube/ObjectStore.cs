using System.Globalization;
using System.Text.Json.Nodes;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// The fake's etcd: every object by resource and key, one global resourceVersion counter (etcd's
/// revision), the event history watches replay from, and the open watches. One lock orders all
/// writes, history and watch registration, so a watch never misses or repeats an event.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<KubeResource, SortedDictionary<string, StoredObject>> objects =
        KubeResources.All.ToDictionary(r => r, _ => new SortedDictionary<string, StoredObject>(StringComparer.Ordinal));

    private readonly List<WatchEvent> history = [];
    private readonly List<WatchSubscription> watches = [];
    private long revision;

    /// <summary>Events at or below this revision are forgotten; a watch from an older resourceVersion gets 410.</summary>
    private long compactedRevision;

    /// <summary>How many events the history keeps before it forgets the older half (etcd compacts every 5 minutes).</summary>
    public int MaxHistory { get; set; } = 100_000;

    public ListSnapshots ListSnapshots { get; } = new();

    public long Revision
    {
        get
        {
            lock (gate)
            {
                return revision;
            }
        }
    }

    public int OpenWatchCount
    {
        get
        {
            lock (gate)
            {
                return watches.Count;
            }
        }
    }

    /// <summary>Creates or replaces, whatever resourceVersion the object carries (test set-up, not a client request).</summary>
    public StoredObject Apply(KubeResource resource, JsonObject obj, int sizeHint = 0)
    {
        lock (gate)
        {
            return WriteLocked(resource, obj, WriteMode.Upsert, sizeHint);
        }
    }

    /// <summary>POST: 409 AlreadyExists when the name is taken.</summary>
    public StoredObject Create(KubeResource resource, JsonObject obj)
    {
        lock (gate)
        {
            return WriteLocked(resource, obj, WriteMode.Create);
        }
    }

    /// <summary>PUT: 404 when missing; 409 Conflict when the body's resourceVersion is not the stored one (none = unconditional).</summary>
    public StoredObject Replace(KubeResource resource, JsonObject obj)
    {
        lock (gate)
        {
            return WriteLocked(resource, obj, WriteMode.Replace);
        }
    }

    /// <summary>Removes the object and emits DELETED with its last state at a new resourceVersion; null when absent.</summary>
    public StoredObject? Delete(KubeResource resource, string? @namespace, string name)
    {
        lock (gate)
        {
            var key = StoredObject.StoreKey(resource.Namespaced ? @namespace ?? "default" : null, name);
            if (!objects[resource].Remove(key, out var last))
            {
                return null;
            }

            var deleted = StoredObjectWriter.WithResourceVersion(last, ++revision);
            PublishLocked(new WatchEvent(WatchEvent.Deleted, deleted, null));
            return deleted;
        }
    }

    public StoredObject? Get(KubeResource resource, string? @namespace, string name)
    {
        lock (gate)
        {
            return objects[resource].GetValueOrDefault(StoredObject.StoreKey(resource.Namespaced ? @namespace ?? "default" : null, name));
        }
    }

    /// <summary>The objects a list request sees, in key order, and the revision they are consistent with.</summary>
    public (StoredObject[] Items, long Revision) List(ObjectFilter filter)
    {
        StoredObject[] all;
        long at;
        lock (gate)
        {
            all = [.. objects[filter.Resource].Values];
            at = revision;
        }

        return (Array.FindAll(all, filter.Matches), at);
    }

    /// <summary>
    /// Opens a watch. No resourceVersion (or "0", or sendInitialEvents): ADDED for every current
    /// object first. A resourceVersion: the history after it, or a lone 410 ERROR when that
    /// history is compacted. Then live events.
    /// </summary>
    public WatchSubscription Watch(ObjectFilter filter, string? resourceVersion, bool allowBookmarks, bool sendInitialEvents)
    {
        var from = ParseResourceVersion(resourceVersion);
        var watch = new WatchSubscription(filter, allowBookmarks);
        lock (gate)
        {
            if (from is null or 0 || sendInitialEvents)
            {
                foreach (var obj in objects[filter.Resource].Values)
                {
                    if (filter.Matches(obj))
                    {
                        watch.Send(new WatchMessage(WatchEvent.Added, obj.Json));
                    }
                }

                if (sendInitialEvents && allowBookmarks)
                {
                    watch.Send(new WatchMessage(WatchEvent.Bookmark, KubeStatus.Bookmark(filter.Resource, revision, initialEventsEnd: true)));
                }
            }
            else if (from < compactedRevision)
            {
                watch.Send(new WatchMessage(WatchEvent.Error, KubeStatus.TooOldResourceVersion(from.Value, compactedRevision)));
                watch.Complete();
                return watch;
            }
            else
            {
                for (var i = FirstEventAfter(from.Value); i < history.Count; i++)
                {
                    watch.Offer(history[i]);
                }
            }

            watches.Add(watch);
        }

        return watch;
    }

    public void Unsubscribe(WatchSubscription watch)
    {
        lock (gate)
        {
            watches.Remove(watch);
        }
    }

    public void DropWatches()
    {
        WatchSubscription[] dropped;
        lock (gate)
        {
            dropped = [.. watches];
            watches.Clear();
        }

        foreach (var watch in dropped)
        {
            watch.Drop();
        }
    }

    public void CompactHistory()
    {
        lock (gate)
        {
            history.Clear();
            compactedRevision = revision;
            ListSnapshots.Clear();
        }
    }

    public void SendBookmarks()
    {
        lock (gate)
        {
            foreach (var watch in watches.Where(w => w.AllowBookmarks))
            {
                watch.Send(new WatchMessage(WatchEvent.Bookmark, KubeStatus.Bookmark(watch.Filter.Resource, revision)));
            }
        }
    }

    private StoredObject WriteLocked(KubeResource resource, JsonObject obj, WriteMode mode, int sizeHint = 0)
    {
        var metadata = StoredObjectWriter.Metadata(obj);
        var name = StoredObjectWriter.StringField(metadata, "name");
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeApiException(422, "Invalid", $"{resource.Kind} is invalid: metadata.name: Required value: name or generateName is required", resource);
        }

        string? @namespace = null;
        if (resource.Namespaced)
        {
            @namespace = StoredObjectWriter.StringField(metadata, "namespace");
            if (string.IsNullOrEmpty(@namespace))
            {
                @namespace = "default";
                metadata["namespace"] = @namespace;
            }
        }
        else
        {
            metadata.Remove("namespace");
        }

        var table = objects[resource];
        var key = StoredObject.StoreKey(@namespace, name);
        table.TryGetValue(key, out var previous);
        switch (mode)
        {
            case WriteMode.Create when previous is not null:
                throw KubeApiException.AlreadyExists(resource, name);
            case WriteMode.Replace when previous is null:
                throw KubeApiException.NotFound(resource, name);
            case WriteMode.Replace when StoredObjectWriter.StringField(metadata, "resourceVersion") is { Length: > 0 } expected
                                        && expected != previous!.ResourceVersion.ToString(CultureInfo.InvariantCulture):
                throw KubeApiException.Conflict(resource, name);
        }

        var resourceVersion = ++revision;
        metadata["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        metadata["uid"] = previous?.Uid ?? Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = previous?.CreationTimestamp ?? DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var stored = StoredObjectWriter.Render(resource, obj, resourceVersion, sizeHint);
        table[key] = stored;
        PublishLocked(new WatchEvent(previous is null ? WatchEvent.Added : WatchEvent.Modified, stored, previous));
        return stored;
    }

    private void PublishLocked(WatchEvent change)
    {
        history.Add(change);
        if (history.Count > MaxHistory)
        {
            var forget = history.Count - MaxHistory / 2;
            compactedRevision = history[forget - 1].ResourceVersion;
            history.RemoveRange(0, forget);
        }

        foreach (var watch in watches)
        {
            watch.Offer(change);
        }
    }

    /// <summary>Index of the first history event with a resourceVersion above <paramref name="resourceVersion"/>.</summary>
    private int FirstEventAfter(long resourceVersion)
    {
        int low = 0, high = history.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (history[middle].ResourceVersion <= resourceVersion)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    internal static long? ParseResourceVersion(string? resourceVersion)
    {
        if (string.IsNullOrEmpty(resourceVersion))
        {
            return null;
        }

        return long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw KubeApiException.BadRequest($"resourceVersion: Invalid value: \"{resourceVersion}\": must be a non-negative integer");
    }

    private enum WriteMode
    {
        Upsert,
        Create,
        Replace,
    }
}
