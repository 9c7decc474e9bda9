namespace ContivKsr.TestSupport.Consul;

/// <summary>
/// The data of the emulated Consul server: keys, tombstones, sessions and the raft-like index.
/// Every write is one "raft apply": the global index grows by one, whatever the write changed, and
/// changed keys take that index as ModifyIndex. It outlives the HTTP listener, so a stopped emulator
/// keeps its data. All members are used under <see cref="Gate"/>.
/// </summary>
internal sealed class ConsulState
{
    /// <summary>Consul lets a session live up to this many times its TTL (structs.SessionTTLMultiplier).</summary>
    public const int SessionTtlMultiplier = 2;

    public static readonly TimeSpan MinimumSessionTtl = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaximumSessionTtl = TimeSpan.FromHours(24);

    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object Gate { get; } = new();

    public SortedDictionary<string, EmulatedEntry> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>Deleted keys and the index of their deletion, until reaped.</summary>
    public Dictionary<string, ulong> Tombstones { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EmulatedSession> Sessions { get; } = new(StringComparer.Ordinal);

    /// <summary>The last raft index applied. A new Consul cluster starts above zero (its own bootstrap entries).</summary>
    public ulong RaftIndex { get; private set; } = 3;

    public ulong KvTableIndex { get; set; }

    public ulong TombstoneTableIndex { get; set; }

    public ulong SessionTableIndex { get; private set; }

    /// <summary>Completes on the next change; blocking queries wait on it.</summary>
    public Task Changed
    {
        get
        {
            lock (Gate)
            {
                return changed.Task;
            }
        }
    }

    /// <summary>Runs one raft apply. <paramref name="apply"/> may roll the scope back; the index grows anyway, as in Consul.</summary>
    public T Apply<T>(Func<ConsulWriteScope, T> apply)
    {
        lock (Gate)
        {
            RaftIndex++;
            var scope = new ConsulWriteScope(this, RaftIndex);
            try
            {
                return apply(scope);
            }
            catch
            {
                scope.Rollback();
                throw;
            }
            finally
            {
                Signal();
            }
        }
    }

    /// <summary>X-Consul-Index of a read of one key: its ModifyIndex, else the KV tables' index (at least 1).</summary>
    public ulong IndexOfKey(string key) =>
        Entries.TryGetValue(key, out var entry) ? entry.ModifyIndex : Math.Max(1, Math.Max(KvTableIndex, TombstoneTableIndex));

    /// <summary>X-Consul-Index of a prefix read: the newest ModifyIndex or tombstone under it, else the tables' index.</summary>
    public ulong IndexOfPrefix(string prefix)
    {
        ulong index = 0;
        foreach (var entry in Entries.Values)
        {
            if (entry.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                index = Math.Max(index, entry.ModifyIndex);
            }
        }

        foreach (var (key, deleted) in Tombstones)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                index = Math.Max(index, deleted);
            }
        }

        return index > 0 ? index : Math.Max(1, Math.Max(KvTableIndex, TombstoneTableIndex));
    }

    /// <summary>Drops every tombstone, as Consul's tombstone GC eventually does; list indexes may then go backwards.</summary>
    public void ReapTombstones()
    {
        lock (Gate)
        {
            Tombstones.Clear();
            Signal();
        }
    }

    /// <summary>Forgets everything, as a rebuilt cluster would: indexes start over.</summary>
    public void Clear()
    {
        lock (Gate)
        {
            Entries.Clear();
            Tombstones.Clear();
            Sessions.Clear();
            RaftIndex = 3;
            KvTableIndex = TombstoneTableIndex = SessionTableIndex = 0;
            Signal();
        }
    }

    public EmulatedSession CreateSession(string name, TimeSpan ttl, string ttlText, string behavior, TimeSpan lockDelay) =>
        Apply(scope =>
        {
            var session = new EmulatedSession
            {
                Id = Guid.NewGuid().ToString(),
                Name = name,
                Ttl = ttl,
                TtlText = ttlText,
                Behavior = behavior,
                LockDelay = lockDelay,
                CreateIndex = scope.Index,
                ExpiresAt = ttl > TimeSpan.Zero ? DateTime.UtcNow + ttl * SessionTtlMultiplier : null,
            };
            Sessions[session.Id] = session;
            SessionTableIndex = scope.Index;
            return session;
        });

    /// <summary>Resets the TTL timer. Not a raft write in Consul (the leader keeps the timers), so no index.</summary>
    public EmulatedSession? RenewSession(string id)
    {
        lock (Gate)
        {
            if (!Sessions.TryGetValue(id, out var session))
            {
                return null;
            }

            if (session.Ttl > TimeSpan.Zero)
            {
                session.ExpiresAt = DateTime.UtcNow + session.Ttl * SessionTtlMultiplier;
            }

            return session;
        }
    }

    /// <summary>Destroys the session; the keys it holds are released or deleted as its behaviour says.</summary>
    public void DestroySession(string id) => Apply(scope =>
    {
        Invalidate(scope, id);
        return true;
    });

    /// <summary>Invalidates every session whose TTL ran out. Called by the emulator's timer.</summary>
    public void ExpireSessions(DateTime now)
    {
        List<string> expired;
        lock (Gate)
        {
            expired = Sessions.Values.Where(s => s.ExpiresAt is { } at && at <= now).Select(s => s.Id).ToList();
        }

        foreach (var id in expired)
        {
            DestroySession(id);
        }
    }

    private void Invalidate(ConsulWriteScope scope, string id)
    {
        if (!Sessions.Remove(id, out var session))
        {
            return;
        }

        SessionTableIndex = scope.Index;
        foreach (var entry in Entries.Values.Where(e => e.Session == id).ToList())
        {
            if (session.Behavior == "delete")
            {
                scope.Delete(entry.Key);
            }
            else
            {
                scope.Put(entry with { Session = null, ModifyIndex = scope.Index });
            }
        }
    }

    private void Signal()
    {
        var previous = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
