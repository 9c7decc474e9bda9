using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// A fake Kubernetes API server for tests and benchmarks (no real one can be installed here). It
/// speaks the real list/watch protocol over plain HTTP on 127.0.0.1: JSON objects with a global
/// resourceVersion, LIST with selectors and limit/continue, WATCH as a chunked stream of
/// newline-delimited events with history replay, bookmarks and 410 Gone; and GET/POST/PUT/DELETE
/// of one object with optimistic concurrency (enough for lease-based leader election).
/// Resources: namespaces, pods, services, endpoints, nodes (core v1), networkpolicies
/// (networking.k8s.io/v1), leases (coordination.k8s.io/v1). See docs/fake-kube-api.md.
/// <para>
/// How KubernetesClient 21 reports what the fake does (each proved in tests/FakeKube.Tests). Use the
/// generated <c>client.CoreV1.WatchListPodForAllNamespaces(resourceVersion: rv, onEvent:, onError:, onClosed:)</c>
/// (or <c>WatchList...Async</c>); <c>List...WithHttpMessagesAsync(watch: true).Watch&lt;T, L&gt;()</c> is obsolete in 21.
/// <list type="bullet">
/// <item>A watch from a resourceVersion older than <see cref="CompactHistory"/> left: the server
/// answers 200 and sends one ERROR event whose object is a Status (code 410, reason "Expired",
/// message "too old resource version: X (Y)"). KubernetesClient does NOT pass it to onEvent as
/// <c>WatchEventType.Error</c>: it calls onError with a <see cref="KubernetesException"/> whose
/// <c>Status.Code</c> is 410, then onClosed. <c>WatchList...Async</c> gives the same exception to its
/// onError callback and the enumeration just ends. So a reflector looks in onError for
/// <c>KubernetesException { Status.Code: 410 }</c> and relists.</item>
/// <item><see cref="DropWatches"/> (connection cut): onError gets an <see cref="IOException"/>
/// ("response ended prematurely") when events had arrived, or an <see cref="HttpRequestException"/>
/// when none had; then onClosed.</item>
/// <item>timeoutSeconds: the server ends the chunked stream cleanly. If events had arrived only
/// onClosed runs; if none had, KubernetesClient still reports an HttpRequestException to onError
/// first (a client quirk). Either way: on onClosed, watch again from the last resourceVersion seen.</item>
/// <item><see cref="Unavailable"/>: every request gets 503 (a Status with reason
/// ServiceUnavailable); calls throw <see cref="k8s.Autorest.HttpOperationException"/> with
/// <c>Response.StatusCode</c> 503. Setting it also cuts every open watch, as above.</item>
/// <item>LIST of 10k pods: the server answers in under 0.2 s, but KubernetesClient needs 0.3 to
/// 1.7 s to deserialize the one 18 MiB body; pages of <c>limit: 500</c> with <c>continueParameter</c>
/// (what client-go's reflector does) take 0.1 to 0.4 s in all.</item>
/// </list>
/// </para>
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ObjectStore store;
    private readonly RequestLog requestLog;
    private readonly KubeApiRouter router;
    private int disposed;

    private FakeKubeApiServer(WebApplication app, ObjectStore store, RequestLog requestLog, KubeApiRouter router, Uri baseUri)
    {
        this.app = app;
        this.router = router;
        this.store = store;
        this.requestLog = requestLog;
        BaseUri = baseUri;
    }

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseUri { get; }

    /// <summary>A new configuration pointing at this server each time (the class is mutable, so none is shared).</summary>
    public KubernetesClientConfiguration ClientConfiguration => new() { Host = BaseUri.GetLeftPart(UriPartial.Authority) };

    public long CurrentResourceVersion => store.Revision;

    public int OpenWatchCount => store.OpenWatchCount;

    public IReadOnlyList<string> RequestLog => requestLog.Snapshot();

    /// <summary>Events kept for watch replay before the older half is forgotten (default 100,000; each holds a reference to one object version).</summary>
    public int MaxHistory
    {
        get => store.MaxHistory;
        set => store.MaxHistory = value > 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "keep at least two events");
    }

    /// <summary>When true every request gets 503 and open watches are cut, as when the API server is down.</summary>
    public bool Unavailable
    {
        get => router.Unavailable;
        set
        {
            router.Unavailable = value;
            if (value)
            {
                store.DropWatches();
            }
        }
    }

    public static async Task<FakeKubeApiServer> StartAsync()
    {
        var store = new ObjectStore();
        var requestLog = new RequestLog();
        var router = new KubeApiRouter(store, requestLog);

        // The empty builder reads no appsettings and watches no files, so many servers can run in one test process.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
            options.AddServerHeader = false;
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        app.Run(router.HandleAsync);
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            return new FakeKubeApiServer(app, store, requestLog, router, new Uri($"http://127.0.0.1:{new Uri(address).Port}"));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a kubeconfig whose current context points at this server; returns <paramref name="path"/>.</summary>
    public string WriteKubeconfig(string path) => KubeconfigWriter.Write(path, BaseUri);

    /// <summary>
    /// Creates or replaces the object (real Kubernetes JSON with apiVersion, kind, metadata.name and,
    /// for namespaced kinds, metadata.namespace, default "default"). Sets metadata.resourceVersion,
    /// uid and creationTimestamp (kept on replace), emits ADDED or MODIFIED, returns the stored JSON.
    /// </summary>
    public string Apply(string objectJson) => Store(objectJson).JsonText;

    /// <summary>Applies a KubernetesClient model; kind and apiVersion come from its type when unset.</summary>
    public void Apply<T>(T obj) where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var json = ToJsonObject(obj);
        Wrap(() => store.Apply(StoredObjectWriter.ResourceOf(json), json));
    }

    /// <summary>
    /// Applies many objects in order (benchmark set-up). Each is parsed, stored and dropped in turn,
    /// which keeps the live set small: twice as fast as parsing the whole batch first. Stops at the
    /// first bad object with an ArgumentException naming its index; the ones before it stay applied,
    /// as with <c>kubectl apply -f</c> of several documents.
    /// </summary>
    public void ApplyMany(IEnumerable<string> objectsJson)
    {
        ArgumentNullException.ThrowIfNull(objectsJson);
        var index = 0;
        foreach (var objectJson in objectsJson)
        {
            try
            {
                Store(objectJson);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"object {index}: {e.Message}", nameof(objectsJson), e);
            }

            index++;
        }
    }

    /// <summary>
    /// Deletes by resource plural ("pods", "namespaces", "networkpolicies", "services",
    /// "endpoints", "nodes", "leases"); emits DELETED with the last state at a new resourceVersion.
    /// False when there was no such object.
    /// </summary>
    public bool Delete(string resource, string? @namespace, string name) =>
        store.Delete(KubeResources.ByPlural(resource), @namespace, name) is not null;

    /// <summary>The stored JSON of every object of a resource (by plural), in the server's list order.</summary>
    public IReadOnlyList<string> List(string resource)
    {
        var (items, _) = store.List(new ObjectFilter(KubeResources.ByPlural(resource), null, LabelSelector.Everything, FieldSelector.Everything));
        return items.Select(i => i.JsonText).ToList();
    }

    /// <summary>The stored JSON of one object (resource by plural), or null when there is none.</summary>
    public string? Get(string resource, string? @namespace, string name) =>
        store.Get(KubeResources.ByPlural(resource), @namespace, name)?.JsonText;

    /// <summary>Forgets all events so far: a watch from an older resourceVersion gets 410 Gone; continue tokens expire.</summary>
    public void CompactHistory() => store.CompactHistory();

    /// <summary>Cuts every open watch stream abruptly (no final chunk).</summary>
    public void DropWatches() => store.DropWatches();

    /// <summary>Sends a BOOKMARK at the current resourceVersion to every watch that asked with allowWatchBookmarks=true.</summary>
    public void SendBookmarks() => store.SendBookmarks();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        store.DropWatches();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private StoredObject Store(string objectJson)
    {
        ArgumentNullException.ThrowIfNull(objectJson);
        var obj = StoredObjectWriter.Parse(objectJson);
        return Wrap(() => store.Apply(StoredObjectWriter.ResourceOf(obj), obj, sizeHint: objectJson.Length));
    }

    /// <summary>Test set-up errors are the caller's bad input: ArgumentException, not an HTTP Status.</summary>
    private static TResult Wrap<TResult>(Func<TResult> write)
    {
        try
        {
            return write();
        }
        catch (KubeApiException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static JsonObject ToJsonObject<T>(T obj) where T : IKubernetesObject<V1ObjectMeta>
    {
        var json = StoredObjectWriter.Parse(KubernetesJson.Serialize(obj));
        if (typeof(T).GetCustomAttribute<KubernetesEntityAttribute>() is { } entity)
        {
            json["kind"] ??= entity.Kind;
            json["apiVersion"] ??= string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
        }

        return json;
    }
}
