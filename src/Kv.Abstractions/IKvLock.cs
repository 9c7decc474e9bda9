namespace ContivKsr.Kv;

/// <summary>A distributed lock from <see cref="IKvStore.NewLock"/>.</summary>
public interface IKvLock : IAsyncDisposable
{
    /// <summary>
    /// Waits until the lock is held. The returned token is cancelled if the lock is lost later
    /// (session or lease expired, key deleted by someone else).
    /// </summary>
    Task<CancellationToken> LockAsync(CancellationToken cancellationToken = default);

    /// <summary>Releases the lock. Releasing a lock that is not held does nothing.</summary>
    Task UnlockAsync(CancellationToken cancellationToken = default);
}

/// <summary>Options of a lock.</summary>
/// <param name="Value">Stored in the lock key while held (e.g. the holder's name).</param>
/// <param name="Ttl">How long the lock outlives a holder that stopped renewing it; default 20 s.</param>
public sealed record KvLockOptions(byte[]? Value = null, TimeSpan? Ttl = null)
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(20);

    public TimeSpan EffectiveTtl => Ttl ?? DefaultTtl;
}
