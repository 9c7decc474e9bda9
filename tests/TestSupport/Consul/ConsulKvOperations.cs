namespace ContivKsr.TestSupport.Consul;

/// <summary>
/// Consul's KV state-store operations (kvsSetTxn, kvsSetCASTxn, kvsLockTxn, kvsUnlockTxn,
/// kvsDeleteCASTxn, ...), shared by the /v1/kv endpoint and /v1/txn. Each works inside one
/// <see cref="ConsulWriteScope"/>; a false result means "not applied", as Consul's <c>false</c> body.
/// </summary>
internal static class ConsulKvOperations
{
    /// <summary>Plain set: keeps CreateIndex, LockIndex and the holding session of an existing key.</summary>
    public static EmulatedEntry Set(ConsulWriteScope scope, string key, byte[] value, ulong flags)
    {
        var existing = scope.Get(key);
        var entry = new EmulatedEntry(key, value, flags, existing?.CreateIndex ?? scope.Index, scope.Index, existing?.LockIndex ?? 0, existing?.Session);
        scope.Put(entry);
        return entry;
    }

    /// <summary>Check-and-set: index 0 writes only a missing key; otherwise only if ModifyIndex equals it.</summary>
    public static EmulatedEntry? Cas(ConsulWriteScope scope, string key, byte[] value, ulong flags, ulong index)
    {
        var existing = scope.Get(key);
        var applies = index == 0 ? existing is null : existing is not null && existing.ModifyIndex == index;
        return applies ? Set(scope, key, value, flags) : null;
    }

    /// <summary>Acquire: succeeds when the key is free or already held by <paramref name="session"/>.</summary>
    /// <exception cref="ConsulEmulatorException">The session does not exist.</exception>
    public static EmulatedEntry? Lock(ConsulWriteScope scope, ConsulState state, string key, byte[] value, ulong flags, string session)
    {
        if (!state.Sessions.ContainsKey(session))
        {
            throw new ConsulEmulatorException(500, $"invalid session \"{session}\"");
        }

        var existing = scope.Get(key);
        ulong lockIndex;
        if (existing is null)
        {
            lockIndex = 1;
        }
        else if (existing.Session == session)
        {
            lockIndex = existing.LockIndex;
        }
        else if (!string.IsNullOrEmpty(existing.Session))
        {
            return null;
        }
        else
        {
            lockIndex = existing.LockIndex + 1;
        }

        // Consul's lock delay is not emulated: a key is free again at once.
        var entry = new EmulatedEntry(key, value, flags, existing?.CreateIndex ?? scope.Index, scope.Index, lockIndex, session);
        scope.Put(entry);
        return entry;
    }

    /// <summary>Release: only the holding session may; the value is written and the key freed.</summary>
    public static EmulatedEntry? Unlock(ConsulWriteScope scope, string key, byte[] value, ulong flags, string session)
    {
        var existing = scope.Get(key);
        if (existing is null || existing.Session != session)
        {
            return null;
        }

        var entry = existing with { Value = value, Flags = flags, ModifyIndex = scope.Index, Session = null };
        scope.Put(entry);
        return entry;
    }

    /// <summary>Delete-if-unchanged; a missing key counts as deleted (Consul answers true).</summary>
    public static bool DeleteCas(ConsulWriteScope scope, string key, ulong index)
    {
        var existing = scope.Get(key);
        if (existing is null)
        {
            return true;
        }

        if (existing.ModifyIndex != index)
        {
            return false;
        }

        scope.Delete(key);
        return true;
    }

    public static void DeleteTree(ConsulWriteScope scope, string prefix)
    {
        foreach (var entry in scope.Tree(prefix))
        {
            scope.Delete(entry.Key);
        }
    }
}
