using ContivKsr.Ksr.Api;
using ContivKsr.Kv;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Store;

/// <summary>
/// The single path from KSR to the store. Operations are coalesced by key (only the newest write
/// of a key is kept), written in batches with IKvStore.WriteBatchAsync, and retried with backoff
/// until the store takes them: nothing is dropped while the store is down.
/// </summary>
public sealed class StoreWriter : IAsyncDisposable
{
    private readonly IKvStore store;
    private readonly StoreWriterOptions options;
    private readonly ILogger logger;
    private readonly StoreStats stats;
    private readonly object gate = new();
    // One pending wake-up is enough: the loop drains everything queued when it wakes.
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource stopping = new();
    private readonly List<TaskCompletionSource> idleWaiters = [];
    private OrderedDictionary<string, Pending> pending = new(StringComparer.Ordinal);
    private bool writing;
    private Task? loop;

    public StoreWriter(IKvStore store, StoreWriterOptions options, ILogger logger, StoreStats stats)
    {
        this.store = store;
        this.options = options;
        this.logger = logger;
        this.stats = stats;
    }

    /// <summary>Raised (on the writer's loop) when a write succeeds after one or more failed: the store may have lost writes meanwhile.</summary>
    public event Action? Recovered;

    /// <summary>False while the last write attempt failed.</summary>
    public bool Healthy { get; private set; } = true;

    public int PendingCount
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    public void Start() => loop ??= Task.Run(() => RunAsync(stopping.Token));

    public void Enqueue(KvOperation operation)
    {
        var now = Stopwatch.GetTimestamp();
        lock (gate)
        {
            // A newer change of a key replaces the older one, but the store has lagged since the older.
            pending[operation.Key] = new Pending(operation, pending.TryGetValue(operation.Key, out var older) ? older.QueuedAt : now);
        }

        wake.Writer.TryWrite(true);
    }

    /// <summary>Completes once every operation enqueued before the call has been written (the writer was idle at some point after it).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (pending.Count == 0 && !writing)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idleWaiters.Add(waiter);
            return waiter.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (loop is not null)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        while (!cancellationToken.IsCancellationRequested)
        {
            await wake.Reader.ReadAsync(cancellationToken);
            if (PendingCount < options.MaxBatch && options.Linger > TimeSpan.Zero)
            {
                // Let a burst of events gather into one batch.
                await Task.Delay(options.Linger, cancellationToken);
            }

            while (TakeBatch() is { Count: > 0 } batch)
            {
                if (await TryWriteAsync(batch, cancellationToken))
                {
                    backoff.Reset();
                    continue;
                }

                Requeue(batch);
                await Task.Delay(backoff.Next(), cancellationToken);
            }

            SignalIdleIfDone();
        }
    }

    private async Task<bool> TryWriteAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        // A large batch is several transactions; give each its own operation timeout.
        var chunks = Math.Max(1, batch.Count / 128);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.OperationTimeout * chunks);
        try
        {
            await store.WriteBatchAsync([.. batch.Select(p => p.Operation)], timeout.Token);
            stats.RecordBatch(batch.Count);
            foreach (var written in batch)
            {
                stats.RecordWriteLatency(Stopwatch.GetElapsedTime(written.QueuedAt));
            }

            if (!Healthy)
            {
                Healthy = true;
                logger.LogInformation("store writes succeed again after an outage");
                Recovered?.Invoke();
            }

            logger.LogDebug("wrote {Count} operations", batch.Count);
            return true;
        }
        catch (Exception e) when (e is KvException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Healthy = false;
            stats.RecordWriteError();
            logger.LogWarning("store write of {Count} operations failed, will retry: {Error}", batch.Count, e.Message);
            return false;
        }
    }

    private List<Pending> TakeBatch()
    {
        lock (gate)
        {
            if (pending.Count == 0)
            {
                writing = false;
                return [];
            }

            writing = true;
            List<Pending> batch;
            if (pending.Count <= options.MaxBatch)
            {
                batch = [.. pending.Values];
                pending = new OrderedDictionary<string, Pending>(StringComparer.Ordinal);
                return batch;
            }

            batch = new List<Pending>(options.MaxBatch);
            var rest = new OrderedDictionary<string, Pending>(pending.Count - options.MaxBatch, StringComparer.Ordinal);
            foreach (var (key, operation) in pending)
            {
                if (batch.Count < options.MaxBatch)
                {
                    batch.Add(operation);
                }
                else
                {
                    rest.Add(key, operation);
                }
            }

            pending = rest;
            return batch;
        }
    }

    /// <summary>Puts a failed batch back, unless a newer operation for the same key arrived meanwhile.</summary>
    private void Requeue(List<Pending> batch)
    {
        lock (gate)
        {
            foreach (var failed in batch)
            {
                if (pending.TryGetValue(failed.Operation.Key, out var newer))
                {
                    pending[failed.Operation.Key] = newer with { QueuedAt = failed.QueuedAt };
                }
                else
                {
                    pending.Add(failed.Operation.Key, failed);
                }
            }
        }
    }

    private sealed record Pending(KvOperation Operation, long QueuedAt);

    private void SignalIdleIfDone()
    {
        List<TaskCompletionSource> done;
        lock (gate)
        {
            if (pending.Count > 0)
            {
                return;
            }

            writing = false;
            done = [.. idleWaiters];
            idleWaiters.Clear();
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult();
        }
    }
}
