using System.Diagnostics;
using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Config;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Reflection;
using ContivKsr.Kv;
using ContivKsr.Kv.Stores;
using k8s;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Store;

/// <summary>
/// One run of the reflection: seed the state from the store, list and watch every enabled
/// resource, write through the batching writer, resync on demand. Readiness comes once every
/// resource was listed and the store holds the result.
/// </summary>
public sealed class SyncEngine
{
    private readonly KsrSettings settings;
    private readonly IKubernetes client;
    private readonly ILoggerFactory loggers;
    private readonly KsrStats stats;
    private StoreHealthMonitor? monitor;
    private StoreWriter? writer;
    private volatile bool initialSyncDone;

    public SyncEngine(KsrSettings settings, IKubernetes client, ILoggerFactory loggers, KsrStats stats)
    {
        this.settings = settings;
        this.client = client;
        this.loggers = loggers;
        this.stats = stats;
    }

    /// <summary>What the start is waiting for, for the readiness probe; null once the initial sync is done.</summary>
    public string? Phase { get; private set; } = "starting";

    public bool StoreHealthy => (monitor?.Reachable ?? false) && (writer?.Healthy ?? false);

    public bool Ready => initialSyncDone && StoreHealthy;

    /// <summary>Runs until cancelled.</summary>
    /// <exception cref="KvException">The store configuration cannot be used at all (unknown backend, bad TLS files).</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var logger = loggers.CreateLogger("ksr");
        var storeLogger = loggers.CreateLogger("ksr-store");
        var layout = new KeyLayout(settings.KeyLayout);
        var codec = new ValueCodec(settings.ValueFormat);
        var operationTimeout = settings.Store.OperationTimeout;

        await using var store = KvStores.Open(settings.Store.Store);
        await using var storeWriter = new StoreWriter(store, StoreWriterOptions.Default with { OperationTimeout = operationTimeout }, storeLogger, stats.Store);
        writer = storeWriter;
        var state = new SyncState(storeWriter, new ValueEquivalence(codec));
        var reflectors = settings.Resources
            .Select(kind => kind.CreateReflector(client, state, layout, codec, stats.Reflectors[kind.Name], loggers.CreateLogger(kind.LoggerName), settings.Reflector))
            .ToList();
        var kinds = reflectors.Select(r => r.Kind).ToList();
        var resyncer = new Resyncer(store, storeWriter, state, layout, kinds, stats, storeLogger, settings.ResyncInterval, operationTimeout);
        monitor = new StoreHealthMonitor(store, layout, stats.Store, storeLogger, settings.StoreProbeInterval, operationTimeout);
        monitor.ResyncNeeded += resyncer.Request;
        storeWriter.Recovered += () => resyncer.Request("store writes succeed again");

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stopping.Token;
        storeWriter.Start();
        logger.LogInformation("writing {Resources} to {Backend} at {Endpoints} under {Root} ({Layout} keys, {Format} values)",
            string.Join(",", settings.Resources), store.Backend, string.Join(",", settings.Store.Store.Endpoints), layout.DataRoot, layout.Kind.ToString().ToLowerInvariant(), codec.Format.ToString().ToLowerInvariant());
        Phase = "reading what the store holds (is the store reachable?)";
        await resyncer.SeedAsync(token);
        Phase = "listing from the Kubernetes API server";

        var tasks = reflectors.Select(r => Task.Run(() => r.RunAsync(token), token)).ToList();
        tasks.Add(Task.Run(() => monitor.RunAsync(token), token));
        tasks.Add(Task.Run(() => resyncer.RunAsync(token), token));
        try
        {
            await Task.WhenAll(reflectors.Select(r => r.InitialListDone)).WaitAsync(token);
            Phase = "writing the initial state to the store";
            await storeWriter.WhenIdleAsync(token);
            initialSyncDone = true;
            Phase = null;
            logger.LogInformation("initial sync done in {Milliseconds} ms", (long)started.Elapsed.TotalMilliseconds);
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await stopping.CancelAsync();
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
            initialSyncDone = false;
        }
    }
}
