using System.Runtime.CompilerServices;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace ContivKsr.Kv.Etcd;

/// <summary>One answer of a watch: events of one or more revisions, or "history was compacted".</summary>
/// <param name="Compacted">
/// The requested start revision is gone; the sequence ends after this batch and the caller must
/// re-read the current state and watch again from there.
/// </param>
internal sealed record EtcdWatchBatch(IReadOnlyList<Event> Events, bool Compacted);

/// <summary>
/// A gap-free event stream over [key, rangeEnd) from a revision on. A broken stream (server
/// restart, failover) is reopened from the revision after the last event seen, so no event is
/// lost or repeated; if the store stays unreachable for the connection timeout the sequence fails
/// with <see cref="KvNotReachableException"/>.
/// </summary>
internal static class EtcdWatchStream
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    public static async IAsyncEnumerable<EtcdWatchBatch> ReadAsync(
        EtcdConnection connection, ByteString key, ByteString rangeEnd, long startRevision,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = startRevision;
        var retryDelay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var options = await connection.StreamOptionsAsync(cancellationToken).ConfigureAwait(false);
            using var call = connection.Watch.Watch(options);
            var broken = await OpenAsync(connection, call, key, rangeEnd, next, cancellationToken).ConfigureAwait(false);
            if (broken is null && call.ResponseStream.Current.CompactRevision != 0)
            {
                yield return new EtcdWatchBatch([], Compacted: true);
                yield break;
            }

            while (broken is null)
            {
                var (response, failure) = await NextAsync(call, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    broken = failure;
                    break;
                }

                if (response!.CompactRevision != 0)
                {
                    yield return new EtcdWatchBatch([], Compacted: true);
                    yield break;
                }

                if (response.Canceled)
                {
                    throw new KvException($"etcd cancelled the watch: {response.CancelReason}") { BackendCode = "WatchCanceled" };
                }

                if (response.Events.Count == 0)
                {
                    continue;
                }

                next = response.Events[^1].Kv.ModRevision + 1;
                retryDelay = TimeSpan.FromMilliseconds(100);
                yield return new EtcdWatchBatch(response.Events, Compacted: false);
            }

            await RecoverAsync(connection, broken, key, options.Headers, cancellationToken).ConfigureAwait(false);
            await Task.Delay(retryDelay, cancellationToken).ConfigureAwait(false);
            retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <summary>Sends the create request and waits (at most the connection timeout) for etcd to confirm it.</summary>
    /// <returns>null when the watch is established, else why it broke.</returns>
    private static async Task<RpcException?> OpenAsync(
        EtcdConnection connection, AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call,
        ByteString key, ByteString rangeEnd, long startRevision, CancellationToken cancellationToken)
    {
        using var confirm = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        confirm.CancelAfter(connection.Timeout);
        try
        {
            await call.RequestStream.WriteAsync(new WatchRequest
            {
                CreateRequest = new WatchCreateRequest { Key = key, RangeEnd = rangeEnd, StartRevision = startRevision },
            }, confirm.Token).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(confirm.Token).ConfigureAwait(false))
            {
                return new RpcException(new Status(StatusCode.Unavailable, "etcd closed the watch stream"));
            }
        }
        catch (RpcException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return confirm.IsCancellationRequested
                ? new RpcException(new Status(StatusCode.DeadlineExceeded, "etcd did not confirm the watch in time"))
                : e;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RpcException(new Status(StatusCode.DeadlineExceeded, "etcd did not confirm the watch in time"));
        }
        catch (Exception e) when (IsTransport(e))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return AsUnavailable(e);
        }

        var created = call.ResponseStream.Current;
        if (created.Canceled && created.CompactRevision == 0)
        {
            throw new KvException($"etcd refused the watch: {created.CancelReason}") { BackendCode = "WatchCanceled" };
        }

        return null;
    }

    private static async Task<(WatchResponse? Response, RpcException? Failure)> NextAsync(
        AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, CancellationToken cancellationToken)
    {
        try
        {
            if (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                return (call.ResponseStream.Current, null);
            }

            return (null, new RpcException(new Status(StatusCode.Unavailable, "etcd closed the watch stream")));
        }
        catch (RpcException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return (null, e);
        }
        catch (Exception e) when (IsTransport(e))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return (null, AsUnavailable(e));
        }
    }

    /// <summary>
    /// Grpc.Net.Client mostly reports a dropped connection as RpcException, but a write or read
    /// racing the drop can surface the HTTP/2 layer's own exception.
    /// </summary>
    internal static bool IsTransport(Exception e) => e is IOException or HttpRequestException or ObjectDisposedException;

    internal static RpcException AsUnavailable(Exception e) => new(new Status(StatusCode.Unavailable, e.Message, e));

    /// <summary>
    /// Decides whether a broken watch can be reopened: renews an expired token, and otherwise
    /// probes the store with a normal call, which fails with the typed error (unreachable within
    /// the timeout, access denied) when the store is really gone.
    /// </summary>
    private static async Task RecoverAsync(EtcdConnection connection, RpcException broken, ByteString key, Metadata? headers, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (EtcdErrors.IsExpiredToken(broken))
        {
            await connection.RenewTokenAsync(headers, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (broken.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled))
        {
            throw connection.Fail(broken, cancellationToken);
        }

        // Probe the watched key itself: the one a restricted etcd user is sure to be allowed to read.
        var probe = new RangeRequest { Key = key, CountOnly = true };
        await connection.CallAsync(o => connection.Kv.RangeAsync(probe, o), cancellationToken).ConfigureAwait(false);
    }
}
