using System.Diagnostics;
using System.Net;
using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Kinds;
using ContivKsr.Ksr.Store;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Reflection;

/// <summary>
/// Mirrors one resource into the sync state: list, then watch from the list's resourceVersion.
/// A dropped watch resumes from the last version seen (bookmarks included); 410 Gone, at open or
/// as an ERROR event, relists, and the relist replaces the kind as a whole, so an object deleted
/// while the watch was broken still has its key deleted. Failures retry with backoff, forever.
/// </summary>
public sealed class Reflector<TObject, TList> : IReflector
    where TObject : IKubernetesObject<V1ObjectMeta>
    where TList : IItems<TObject>, IMetadata<V1ListMeta>
{
    private readonly ResourceKind<TObject, TList> kind;
    private readonly IKubernetes client;
    private readonly SyncState state;
    private readonly KeyLayout layout;
    private readonly ValueCodec codec;
    private readonly ReflectorStats stats;
    private readonly ILogger logger;
    private readonly ReflectorOptions options;
    private readonly TaskCompletionSource initialList = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Reflector(
        ResourceKind<TObject, TList> kind,
        IKubernetes client,
        SyncState state,
        KeyLayout layout,
        ValueCodec codec,
        ReflectorStats stats,
        ILogger logger,
        ReflectorOptions options)
    {
        this.kind = kind;
        this.client = client;
        this.state = state;
        this.layout = layout;
        this.codec = codec;
        this.stats = stats;
        this.logger = logger;
        this.options = options;
    }

    public ResourceKind Kind => kind;

    public Task InitialListDone => initialList.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(options.InitialBackoff, options.MaxBackoff);
        string? version = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (version is null)
                {
                    version = await ListAsync(cancellationToken);
                    backoff.Reset();
                }

                var started = Stopwatch.StartNew();
                var (outcome, lastVersion, events) = await WatchAsync(version, cancellationToken);
                version = lastVersion;
                if (outcome == WatchOutcome.Gone)
                {
                    stats.RecordError("gone");
                    logger.LogInformation("{Resource} watch expired (410 Gone) at version {Version}; relisting", kind.Resource, version);
                    version = null;
                }
                else if (events == 0 && started.Elapsed < TimeSpan.FromSeconds(1))
                {
                    // A watch that ends at once without news is a server in trouble: do not spin.
                    await Task.Delay(backoff.Next(), cancellationToken);
                }
                else
                {
                    backoff.Reset();
                    logger.LogDebug("{Resource} watch ended after {Events} events; resuming from version {Version}", kind.Resource, events, version);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
            {
                stats.RecordError("gone");
                logger.LogInformation("{Resource} version {Version} is gone (410); relisting", kind.Resource, version);
                version = null;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var phase = version is null ? "list" : "watch";
                stats.RecordError(phase);
                var delay = backoff.Next();
                logger.LogWarning("{Resource} {Phase} failed, retrying in {Delay} ms: {Error}", kind.Resource, phase, (int)delay.TotalMilliseconds, Describe(e));
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Lists page by page, as client-go's reflector does, so that a large cluster is never held
    /// in memory as one decoded response; the pages form one consistent snapshot (410 Gone for an
    /// expired continue token relists from the start).
    /// </summary>
    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? next = null;
        string version;
        do
        {
            using var response = await kind.List(client, next, options.ListPageSize, cancellationToken);
            var page = response.Body;
            foreach (var item in page.Items ?? [])
            {
                if (Encode(item) is { } encoded)
                {
                    listed[encoded.Key] = encoded.Value;
                }
            }

            version = page.Metadata?.ResourceVersion ?? "";
            next = page.Metadata?.ContinueProperty is { Length: > 0 } token ? token : null;
        }
        while (next is not null);

        if (initialList.Task.IsCompleted)
        {
            stats.RecordRelist();
        }

        var counts = state.Replace(kind, listed);

        stats.RecordListed(counts);
        logger.LogInformation("listed {Count} {Resource} at version {Version}: {Changes}", listed.Count, kind.Resource, version, counts);
        initialList.TrySetResult();
        return version;
    }

    private async Task<(WatchOutcome Outcome, string Version, int Events)> WatchAsync(string version, CancellationToken cancellationToken)
    {
        var gone = false;
        var events = 0;
        var timeout = options.WatchTimeoutSeconds + Random.Shared.Next(options.WatchTimeoutSeconds / 2 + 1);
        void OnError(Exception e)
        {
            if (e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
            {
                gone = true;
                return;
            }

            stats.RecordError("watch");
            logger.LogWarning("{Resource} watch error: {Error}", kind.Resource, Describe(e));
        }

        await foreach (var (type, item) in kind.Watch(client, version, timeout, OnError, cancellationToken))
        {
            events++;
            switch (type)
            {
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    Apply(item);
                    break;
                case WatchEventType.Deleted:
                    Delete(item);
                    break;
            }

            version = item?.Metadata?.ResourceVersion is { Length: > 0 } seen ? seen : version;
        }

        return (gone ? WatchOutcome.Gone : WatchOutcome.Ended, version, events);
    }

    private void Apply(TObject item)
    {
        if (Encode(item) is not { } encoded)
        {
            return;
        }

        switch (state.Upsert(kind, encoded.Key, encoded.Value))
        {
            case SyncState.Change.Added:
                stats.RecordAdd();
                logger.LogDebug("{Resource} {Key} added", kind.Name, encoded.Key);
                break;
            case SyncState.Change.Updated:
                stats.RecordUpdate();
                logger.LogDebug("{Resource} {Key} updated", kind.Name, encoded.Key);
                break;
            default:
                stats.RecordUnchanged();
                logger.LogDebug("{Resource} {Key} unchanged, not rewritten", kind.Name, encoded.Key);
                break;
        }
    }

    private void Delete(TObject item)
    {
        if (item?.Metadata?.Name is not { Length: > 0 } name)
        {
            return;
        }

        var key = layout.KeyOf(kind, item.Metadata.NamespaceProperty, name);
        state.Remove(kind, key);
        stats.RecordDelete();
        logger.LogDebug("{Resource} {Key} deleted", kind.Name, key);
    }

    /// <summary>The object's key and encoded value; null (logged, counted) when it cannot be converted.</summary>
    private KeyValuePair<string, byte[]>? Encode(TObject item)
    {
        try
        {
            var metadata = item.Metadata ?? throw new Conversion.ConversionException("object without metadata");
            var key = layout.KeyOf(kind, metadata.NamespaceProperty, metadata.Name);
            return new(key, codec.Encode(kind.Convert(item)));
        }
        catch (Exception e) when (e is Conversion.ConversionException or ArgumentException)
        {
            stats.RecordError("conversion");
            logger.LogError("{Resource} {Namespace}/{Name} cannot be reflected: {Error}", kind.Name, item.Metadata?.NamespaceProperty, item.Metadata?.Name, e.Message);
            return null;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        HttpOperationException http => $"HTTP {(int?)http.Response?.StatusCode} {http.Response?.ReasonPhrase}",
        KubernetesException kube => $"{kube.Status?.Code} {kube.Status?.Reason}: {kube.Status?.Message}",
        _ => e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})",
    };

    private enum WatchOutcome
    {
        Ended,
        Gone,
    }
}
