namespace ContivKsr.Kv.Consul;

/// <summary>
/// A lock held as Consul recommends ("leader election" guide): a session with a TTL and the
/// "delete" behaviour acquires the key (PUT ?acquire). Waiters block on the key with blocking
/// queries until it is free. While held, a keep-alive renews the session at a third of its TTL and a
/// monitor watches the key; the lock counts as lost (the token from <see cref="LockAsync"/> is
/// cancelled) when the session is gone, cannot be renewed within its TTL, or the key is deleted or
/// taken by another session. Unlocking destroys the session, which deletes the key.
/// </summary>
internal sealed class ConsulLock(ConsulKvApi kv, ConsulSessionApi sessions, string key, KvLockOptions options, TimeSpan blockingWait, Action<ConsulLock> disposed) : KvLockBase<ConsulLock.Held>
{
    /// <summary>How long to back off when the key is free but acquiring it still failed (a lock delay).</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Called when the store is closed: gives a held lock up at once (as ZooKeeper does with the
    /// ephemeral nodes of a closed session) rather than leaving others to wait for its TTL.
    /// </summary>
    public async Task AbandonAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await UnlockAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KvException or OperationCanceledException)
        {
            // Unreachable: the session expires by itself after its TTL.
        }
    }

    protected override CancellationToken LostToken(Held state) => state.Lost.Token;

    /// <summary>
    /// Tells the store this lock is gone. The gate is left undisposed: the store's closing may call
    /// <see cref="AbandonAsync"/> on this lock at the same moment.
    /// </summary>
    protected override void OnDisposed() => disposed(this);

    protected override async Task<Held> AcquireAsync(CancellationToken cancellationToken)
    {
        var value = options.Value ?? [];
        var ttl = options.EffectiveTtl;
        var session = await sessions.CreateAsync($"contivksr-lock:{key}", ttl, deleteKeys: true, cancellationToken).ConfigureAwait(false);
        var state = new Held(session);
        state.KeepAlive = KeepAliveAsync(state, ttl);
        try
        {
            var cursor = new ConsulBlockingCursor(0);
            while (true)
            {
                if (state.Lost.IsCancellationRequested)
                {
                    // The session expired while we waited (store unreachable for longer than the TTL).
                    await state.StopAsync().ConfigureAwait(false);
                    session = await sessions.CreateAsync($"contivksr-lock:{key}", ttl, deleteKeys: true, cancellationToken).ConfigureAwait(false);
                    state = new Held(session);
                    state.KeepAlive = KeepAliveAsync(state, ttl);
                }

                if (await kv.PutAsync(key, value, $"acquire={Uri.EscapeDataString(session)}", cancellationToken).ConfigureAwait(false))
                {
                    state.Monitor = MonitorAsync(state);
                    return state;
                }

                await cursor.PaceAsync(cancellationToken).ConfigureAwait(false);
                var (entry, index) = await kv.GetAsync(key, cursor.Index, blockingWait, cancellationToken).ConfigureAwait(false);
                cursor.Advance(index);
                if (entry is null || string.IsNullOrEmpty(entry.Session))
                {
                    // Free, yet our acquire failed: Consul's lock delay after a holder's session died.
                    await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                    cursor = new ConsulBlockingCursor(0);
                }
            }
        }
        catch
        {
            await state.StopAsync().ConfigureAwait(false);
            await TryDestroyAsync(state.Session).ConfigureAwait(false);
            throw;
        }
    }

    protected override async Task ReleaseAsync(Held state, CancellationToken cancellationToken)
    {
        await state.StopAsync().ConfigureAwait(false);
        state.Lost.Cancel();
        await sessions.DestroyAsync(state.Session, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renews the session at a third of its TTL; gives the lock up when that fails for a whole TTL.</summary>
    private async Task KeepAliveAsync(Held state, TimeSpan ttl)
    {
        var lastRenewed = DateTime.UtcNow;
        try
        {
            while (!state.Stop.IsCancellationRequested)
            {
                await Task.Delay(ttl / 3, state.Stop.Token).ConfigureAwait(false);
                try
                {
                    if (!await sessions.RenewAsync(state.Session, state.Stop.Token).ConfigureAwait(false))
                    {
                        state.Lost.Cancel();
                        return;
                    }

                    lastRenewed = DateTime.UtcNow;
                }
                catch (KvException) when (DateTime.UtcNow - lastRenewed < ttl)
                {
                    // Try again at the next tick; Consul keeps the session for at least its TTL.
                }
                catch (KvException)
                {
                    state.Lost.Cancel();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Unlocked.
        }
    }

    /// <summary>Watches the lock key; the lock is lost when the key goes or another session holds it.</summary>
    private async Task MonitorAsync(Held state)
    {
        var cursor = new ConsulBlockingCursor(0);
        try
        {
            while (!state.Stop.IsCancellationRequested && !state.Lost.IsCancellationRequested)
            {
                await cursor.PaceAsync(state.Stop.Token).ConfigureAwait(false);
                ConsulKvEntry? entry;
                ulong index;
                try
                {
                    (entry, index) = await kv.GetAsync(key, cursor.Index, blockingWait, state.Stop.Token).ConfigureAwait(false);
                }
                catch (KvException)
                {
                    // Unreachable for now: the keep-alive decides whether the session is lost.
                    await Task.Delay(RetryDelay, state.Stop.Token).ConfigureAwait(false);
                    continue;
                }

                cursor.Advance(index);
                if (entry is null || entry.Session != state.Session)
                {
                    state.Lost.Cancel();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Unlocked.
        }
    }

    private async Task TryDestroyAsync(string session)
    {
        try
        {
            await sessions.DestroyAsync(session, CancellationToken.None).ConfigureAwait(false);
        }
        catch (KvException)
        {
            // It expires by itself.
        }
    }

    internal sealed class Held(string session)
    {
        public string Session { get; } = session;

        /// <summary>Cancelled when the lock is lost or released: the token handed to the caller.</summary>
        public CancellationTokenSource Lost { get; } = new();

        /// <summary>Stops the keep-alive and the monitor.</summary>
        public CancellationTokenSource Stop { get; } = new();

        public Task KeepAlive { get; set; } = Task.CompletedTask;

        public Task Monitor { get; set; } = Task.CompletedTask;

        public async Task StopAsync()
        {
            await Stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(KeepAlive, Monitor).ConfigureAwait(false);
        }
    }
}
