using ContivKsr.Ksr.Keys;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using k8s;
using k8s.Autorest;

namespace ContivKsr.Ksr.Reflection;

/// <summary>Lists one page of one resource (all namespaces) at the current version.</summary>
/// <param name="client">The API client.</param>
/// <param name="continueToken">Null for the first page, then the previous page's continue token.</param>
/// <param name="limit">Objects per page.</param>
/// <param name="cancellationToken">Stops the call.</param>
public delegate Task<HttpOperationResponse<TList>> ListCall<TList>(IKubernetes client, string? continueToken, int limit, CancellationToken cancellationToken);

/// <summary>Watches one resource from a version, with bookmarks.</summary>
/// <param name="client">The API client.</param>
/// <param name="resourceVersion">Watch from this version.</param>
/// <param name="timeoutSeconds">Server-side end of the watch (it is renewed from the last version seen).</param>
/// <param name="onError">Receives ERROR events (410 Gone among them) and undecodable lines.</param>
/// <param name="cancellationToken">Stops the watch.</param>
public delegate IAsyncEnumerable<(WatchEventType Type, TObject Item)> WatchCall<TObject>(IKubernetes client, string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken cancellationToken);

/// <summary>Everything a reflector needs to know about one resource kind.</summary>
/// <param name="Kind">The kind, which decides its keys.</param>
/// <param name="Name">Its short name in statistics ("pod").</param>
/// <param name="Resource">Its API resource name ("pods"), as in RBAC rules.</param>
/// <param name="List">The list call.</param>
/// <param name="Watch">The watch call.</param>
/// <param name="Model">The model message its values are (contiv's schema for the kind).</param>
/// <param name="Convert">Kubernetes object to model message.</param>
public sealed record ResourceDefinition<TObject, TList>(
    ResourceKind Kind,
    string Name,
    string Resource,
    ListCall<TList> List,
    WatchCall<TObject> Watch,
    MessageDescriptor Model,
    Func<TObject, IMessage> Convert)
{
    /// <summary>The logger of this reflector, tunable over REST: "ksr-" + name, as the Go KSR named them.</summary>
    public string LoggerName => "ksr-" + Name;
}
