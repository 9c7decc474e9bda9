using System.Threading.Channels;
using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Kinds;
using ContivKsr.Kv;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Store;

/// <summary>
/// Compares the store's keys under the KSR tree with the sync state and queues the difference:
/// at start (seeding the state from the store), after the store comes back from an outage or is
/// found to have lost data, and periodically. Requests arriving during a resync fold into one.
/// </summary>
public sealed class Resyncer
{
    private readonly IKvStore store;
    private readonly StoreWriter writer;
    private readonly SyncState state;
    private readonly KeyLayout layout;
    private readonly IReadOnlyCollection<ResourceKind> kinds;
    private readonly KsrStats stats;
    private readonly ILogger logger;
    private readonly TimeSpan period;
    private readonly TimeSpan operationTimeout;
    private readonly Channel<string> requests = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public Resyncer(IKvStore store, StoreWriter writer, SyncState state, KeyLayout layout, IReadOnlyCollection<ResourceKind> kinds, KsrStats stats, ILogger logger, TimeSpan period, TimeSpan operationTimeout)
    {
        this.store = store;
        this.writer = writer;
        this.state = state;
        this.layout = layout;
        this.kinds = kinds;
        this.stats = stats;
        this.logger = logger;
        this.period = period;
        this.operationTimeout = operationTimeout;
    }

    public void Request(string reason)
    {
        if (requests.Writer.TryWrite(reason))
        {
            logger.LogInformation("resync requested: {Reason}", reason);
        }
    }

    /// <summary>Loads what the store holds into the sync state, retrying until the store answers.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var stored = await ListWithRetryAsync(cancellationToken);
        foreach (var kind in kinds)
        {
            state.Seed(kind, stored.Where(pair => layout.TryParse(pair.Key, out var key) && key.Kind == kind));
        }

        logger.LogInformation("store holds {Count} keys under {Root}", stored.Count, layout.DataRoot);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(period);
            string reason;
            try
            {
                reason = await requests.Reader.ReadAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reason = "periodic";
            }

            await ResyncOnceAsync(reason, cancellationToken);
        }
    }

    private async Task ResyncOnceAsync(string reason, CancellationToken cancellationToken)
    {
        var listedAfter = state.Sequence;
        await WaitForQueuedWritesAsync(cancellationToken);
        var stored = await ListWithRetryAsync(cancellationToken);
        var result = state.Reconcile(kinds, stored, layout, listedAfter);
        foreach (var (kind, counts) in result)
        {
            stats.Reflectors[kind.Name].RecordResync(counts.Total);
            if (counts.Total > 0)
            {
                logger.LogWarning("resync ({Reason}) found {Kind} keys out of date: {Changes}", reason, kind, counts);
            }
        }

        logger.LogInformation("resync ({Reason}) compared {Count} stored keys", reason, stored.Count);
    }

    /// <summary>
    /// Lets the changes queued so far reach the store before it is listed, so that a write still in
    /// flight is not taken for a difference and written twice. Bounded: a store that takes no
    /// writes is what a resync is for, and is listed all the same.
    /// </summary>
    private async Task WaitForQueuedWritesAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(operationTimeout * 4);
        try
        {
            await writer.WhenIdleAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("resync goes on with writes still queued ({Count})", writer.PendingCount);
        }
    }

    private async Task<IReadOnlyList<KvPair>> ListWithRetryAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
        while (true)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // A listing of tens of thousands of keys takes longer than one small call.
            timeout.CancelAfter(operationTimeout * 4);
            try
            {
                return await store.ListAsync(layout.DataRoot, timeout.Token);
            }
            catch (Exception e) when (e is KvException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var delay = backoff.Next();
                logger.LogWarning("listing the store failed, retrying in {Delay} ms: {Error}", (int)delay.TotalMilliseconds, e.Message);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }
}
