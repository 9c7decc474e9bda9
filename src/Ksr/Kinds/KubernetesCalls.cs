using k8s;
using k8s.Autorest;

namespace ContivKsr.Ksr.Kinds;

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
