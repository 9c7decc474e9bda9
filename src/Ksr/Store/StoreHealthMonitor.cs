using System.Text;
using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Keys;
using ContivKsr.Kv;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Store;

/// <summary>
/// Probes the store and asks for a resync when it may have lost writes: after it was unreachable,
/// and when a marker key that KSR rewrites regularly has vanished or its LastIndex went backwards
/// (the store was wiped, or restored from an older snapshot).
/// </summary>
public sealed class StoreHealthMonitor
{
    private readonly IKvStore store;
    private readonly StoreStats stats;
    private readonly ILogger logger;
    private readonly TimeSpan interval;
    private readonly TimeSpan rewriteInterval;
    private readonly TimeSpan operationTimeout;
    private long markerIndex;
    private DateTime markerWritten = DateTime.MinValue;

    public StoreHealthMonitor(IKvStore store, KeyLayout layout, StoreStats stats, ILogger logger, TimeSpan interval, TimeSpan operationTimeout)
    {
        this.store = store;
        this.stats = stats;
        this.logger = logger;
        this.interval = interval;
        this.operationTimeout = operationTimeout;
        // Rewriting the marker bounds how old a restored snapshot can be and still go unnoticed.
        rewriteInterval = interval * 10;
        MarkerKey = $"{layout.Prefix}/ksr-marker";
    }

    /// <summary>Raised with a reason when the store needs a full resync.</summary>
    public event Action<string>? ResyncNeeded;

    /// <summary>Outside the k8s tree, so resync never sees it.</summary>
    public string MarkerKey { get; }

    public bool Reachable { get; private set; } = true;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await ProbeAsync(cancellationToken);
            await Task.Delay(interval, cancellationToken);
        }
    }

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(operationTimeout);
        try
        {
            var reason = await CheckMarkerAsync(timeout.Token);
            if (!Reachable)
            {
                Reachable = true;
                stats.RecordReconnect();
                reason ??= "store reachable again";
            }

            if (reason is not null)
            {
                ResyncNeeded?.Invoke(reason);
            }
        }
        catch (Exception e) when (e is KvException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            stats.RecordProbeError();
            if (Reachable)
            {
                logger.LogWarning("store unreachable: {Error}", e.Message);
            }

            Reachable = false;
        }
    }

    /// <returns>A reason to resync, or null.</returns>
    private async Task<string?> CheckMarkerAsync(CancellationToken cancellationToken)
    {
        if (markerIndex == 0)
        {
            await RewriteMarkerAsync(cancellationToken);
            return null;
        }

        KvPair marker;
        try
        {
            marker = await store.GetAsync(MarkerKey, cancellationToken);
        }
        catch (KvKeyNotFoundException)
        {
            return await DataLostAsync("marker key vanished", cancellationToken);
        }

        if (marker.LastIndex < markerIndex)
        {
            return await DataLostAsync($"marker revision went back from {markerIndex} to {marker.LastIndex}", cancellationToken);
        }

        markerIndex = marker.LastIndex;
        if (DateTime.UtcNow - markerWritten > rewriteInterval)
        {
            await RewriteMarkerAsync(cancellationToken);
        }

        return null;
    }

    private async Task<string> DataLostAsync(string what, CancellationToken cancellationToken)
    {
        stats.RecordDataLoss();
        logger.LogWarning("store lost data ({What}); resyncing everything", what);
        await RewriteMarkerAsync(cancellationToken);
        return "store lost data: " + what;
    }

    private async Task RewriteMarkerAsync(CancellationToken cancellationToken)
    {
        var value = Encoding.UTF8.GetBytes(DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        await store.PutAsync(MarkerKey, value, cancellationToken: cancellationToken);
        markerIndex = (await store.GetAsync(MarkerKey, cancellationToken)).LastIndex;
        markerWritten = DateTime.UtcNow;
    }
}
