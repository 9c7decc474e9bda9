namespace ContivKsr.Kv;

/// <summary>
/// What every backend's lock does alike: one caller at a time (a gate), a held lock is handed out
/// again while not lost, a lost one is released before acquiring anew, and disposing unlocks.
/// A backend supplies how to acquire and release; <typeparamref name="THeld"/> is its state while held.
/// </summary>
public abstract class KvLockBase<THeld> : IKvLock
    where THeld : class
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private THeld? held;

    public async Task<CancellationToken> LockAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (held is not null && !LostToken(held).IsCancellationRequested)
            {
                return LostToken(held);
            }

            await ReleaseHeldAsync(CancellationToken.None).ConfigureAwait(false);
            held = await AcquireAsync(cancellationToken).ConfigureAwait(false);
            return LostToken(held);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task UnlockAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReleaseHeldAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await UnlockAsync().ConfigureAwait(false);
        }
        catch (KvException)
        {
            // Store unreachable: the backend frees the key by itself once the lock's TTL runs out.
        }

        OnDisposed();
    }

    /// <summary>Waits until the lock is this process's, and returns the state that holds it.</summary>
    protected abstract Task<THeld> AcquireAsync(CancellationToken cancellationToken);

    /// <summary>Gives up a lock acquired by <see cref="AcquireAsync"/>.</summary>
    protected abstract Task ReleaseAsync(THeld state, CancellationToken cancellationToken);

    /// <summary>The token handed to the caller, cancelled when the lock is lost.</summary>
    protected abstract CancellationToken LostToken(THeld state);

    /// <summary>The last step of <see cref="DisposeAsync"/>, after unlocking.</summary>
    protected virtual void OnDisposed() => gate.Dispose();

    private async Task ReleaseHeldAsync(CancellationToken cancellationToken)
    {
        var current = held;
        held = null;
        if (current is not null)
        {
            await ReleaseAsync(current, cancellationToken).ConfigureAwait(false);
        }
    }
}
