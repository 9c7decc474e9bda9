namespace ContivKsr.TestSupport.Consul;

/// <summary>
/// One raft apply of the emulated state: every change it makes carries the same index, and all of
/// them can be undone (a failed /v1/txn is rolled back as a whole). Used under the state's lock only.
/// </summary>
internal sealed class ConsulWriteScope(ConsulState state, ulong index)
{
    private readonly List<Action> undo = [];

    public ulong Index { get; } = index;

    public bool Changed { get; private set; }

    public EmulatedEntry? Get(string key) => state.Entries.GetValueOrDefault(key);

    public List<EmulatedEntry> Tree(string prefix) =>
        state.Entries.Values.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    public void Put(EmulatedEntry entry)
    {
        var previous = state.Entries.GetValueOrDefault(entry.Key);
        var previousKvIndex = state.KvTableIndex;
        undo.Add(() =>
        {
            if (previous is null)
            {
                state.Entries.Remove(entry.Key);
            }
            else
            {
                state.Entries[entry.Key] = previous;
            }

            state.KvTableIndex = previousKvIndex;
        });
        state.Entries[entry.Key] = entry;
        state.KvTableIndex = Index;
        Changed = true;
    }

    /// <returns>False when there was no such key (nothing changes then, not even an index).</returns>
    public bool Delete(string key)
    {
        if (!state.Entries.TryGetValue(key, out var previous))
        {
            return false;
        }

        var hadTombstone = state.Tombstones.TryGetValue(key, out var previousTombstone);
        var previousTombstoneIndex = state.TombstoneTableIndex;
        undo.Add(() =>
        {
            state.Entries[key] = previous;
            if (hadTombstone)
            {
                state.Tombstones[key] = previousTombstone;
            }
            else
            {
                state.Tombstones.Remove(key);
            }

            state.TombstoneTableIndex = previousTombstoneIndex;
        });
        state.Entries.Remove(key);
        // Consul keeps a tombstone so that the index of a list query does not go backwards at once.
        state.Tombstones[key] = Index;
        state.TombstoneTableIndex = Index;
        Changed = true;
        return true;
    }

    public void Rollback()
    {
        for (var i = undo.Count - 1; i >= 0; i--)
        {
            undo[i]();
        }

        undo.Clear();
        Changed = false;
    }
}
