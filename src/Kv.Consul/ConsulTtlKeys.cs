using System.Collections.Concurrent;

namespace ContivKsr.Kv.Consul;

/// <summary>
/// Keys with a TTL. Consul has no per-key TTL: a key expires by being held ("acquired") by a session
/// that has a TTL and the "delete" behaviour, so that Consul deletes the key when the session is not
/// renewed in time. Writing the key again with the same TTL renews its session; writing it without a
/// TTL releases it from its session, so it stays.
/// </summary>
/// <remarks>
/// Consul lets a session live up to twice its TTL, so such a key disappears between TTL and 2×TTL
/// after its last write. TTLs below Consul's 10 s minimum are refused with
/// <see cref="KvCallNotSupportedException"/>.
/// </remarks>
internal sealed class ConsulTtlKeys(ConsulKvApi kv, ConsulSessionApi sessions)
{
    private readonly ConcurrentDictionary<string, (string Session, TimeSpan Ttl)> sessionOfKey = new(StringComparer.Ordinal);

    /// <summary>Writes the key so that it expires <paramref name="ttl"/> after this write.</summary>
    public async Task<ConsulKvEntry> PutAsync(string key, ReadOnlyMemory<byte> value, TimeSpan ttl, ulong? casIndex, CancellationToken cancellationToken)
    {
        var session = await SessionForAsync(key, ttl, cancellationToken).ConfigureAwait(false);
        var previous = sessionOfKey.TryGetValue(key, out var known) ? known.Session : null;

        // One transaction: the optional compare-and-swap, then "lock" (= acquire with our session).
        // If the key is held by another session, lock fails; then the key is re-created under ours.
        var operations = new List<ConsulTxnKvOperation>();
        if (casIndex is { } index)
        {
            operations.Add(new ConsulTxnKvOperation { Verb = "cas", Key = key, Value = value.ToArray(), Index = index });
        }

        operations.Add(new ConsulTxnKvOperation { Verb = "lock", Key = key, Value = value.ToArray(), Session = session });
        var outcome = await kv.TxnAsync(operations, cancellationToken).ConfigureAwait(false);
        if (!outcome.Committed && casIndex is null)
        {
            outcome = await kv.TxnAsync(
                [
                    new ConsulTxnKvOperation { Verb = "delete", Key = key },
                    new ConsulTxnKvOperation { Verb = "lock", Key = key, Value = value.ToArray(), Session = session },
                ],
                cancellationToken).ConfigureAwait(false);
        }

        if (!outcome.Committed)
        {
            if (casIndex is not null && outcome.Errors.Any(e => e.OpIndex == 0))
            {
                throw casIndex == 0 ? new KvKeyExistsException(key) : new KvKeyModifiedException(key);
            }

            throw new KvException($"Consul could not write '{key}' with a TTL: {outcome.Describe()}");
        }

        sessionOfKey[key] = (session, ttl);
        if (previous is not null && previous != session)
        {
            // The old session holds nothing any more; destroying it cannot delete the key.
            await sessions.DestroyAsync(previous, cancellationToken).ConfigureAwait(false);
        }

        return outcome.Results[^1];
    }

    /// <summary>
    /// Called after a plain write found the key held by <paramref name="session"/>: releases it (with
    /// the value just written) so that the key no longer expires, and drops our session if it was ours.
    /// </summary>
    public async Task MakePermanentAsync(string key, ReadOnlyMemory<byte> value, string session, CancellationToken cancellationToken)
    {
        await kv.PutAsync(key, value, $"release={Uri.EscapeDataString(session)}", cancellationToken).ConfigureAwait(false);
        if (sessionOfKey.TryRemove(key, out var ours) && ours.Session == session)
        {
            await sessions.DestroyAsync(ours.Session, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>After a plain PUT (which keeps a holding session): releases the key if this store had made it a TTL key.</summary>
    public async Task ForgetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        if (sessionOfKey.TryGetValue(key, out var ours))
        {
            await MakePermanentAsync(key, value, ours.Session, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The key's current session when it has the same TTL and is still alive, else a new one.</summary>
    private async Task<string> SessionForAsync(string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (sessionOfKey.TryGetValue(key, out var known) && known.Ttl == ttl
            && await sessions.RenewAsync(known.Session, cancellationToken).ConfigureAwait(false))
        {
            return known.Session;
        }

        return await sessions.CreateAsync($"contivksr-ttl:{key}", ttl, deleteKeys: true, cancellationToken).ConfigureAwait(false);
    }
}
