using System.Text;
using System.Threading.Channels;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.ZooKeeper.Client;

/// <summary>
/// ZooKeeper operations over a <see cref="ZkSession"/>: paths are client paths, to which the chroot
/// (if any) is prepended on the wire and from which it is stripped in replies. A result code other
/// than Ok is thrown as <see cref="ZkException"/>. Watches are registered when the reply arrives.
/// </summary>
public sealed class ZkClient : IAsyncDisposable
{
    private readonly ZkSession session;
    private readonly ZkWatchManager watches = new();
    private readonly string chroot;

    public ZkClient(ZkConnectString connectString, TimeSpan sessionTimeout, TimeSpan connectionTimeout, string? username, string? password, ZkTls? tls)
    {
        chroot = connectString.Chroot;
        var auth = username is null ? null : new ZkAuthPacket("digest", Encoding.UTF8.GetBytes($"{username}:{password}"));
        Authenticated = auth is not null;
        session = new ZkSession(connectString, sessionTimeout, connectionTimeout, auth, tls, watches);
    }

    /// <summary>True when digest credentials are sent: nodes are then created readable and writable by those credentials only.</summary>
    public bool Authenticated { get; }

    public IReadOnlyList<ZkAcl> DefaultAcl => Authenticated ? ZkAcl.CreatorAll : ZkAcl.OpenUnsafe;

    public string Chroot => chroot;

    public ZkSession Session => session;

    public async Task<ZkCreateResponse> CreateAsync(string path, ReadOnlyMemory<byte> data, ZkCreateMode mode, long ttlMs = 0, CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync(new ZkCreateRequest(ToServer(path), data, DefaultAcl, mode, ttlMs), path, cancellationToken);
        var response = ZkCreateResponse.Read(reply.BodyReader());
        return response with { Path = ToClient(response.Path) };
    }

    /// <summary>Creates a node without a chroot, for making the chroot itself.</summary>
    public async Task CreateUnrootedAsync(string serverPath, CancellationToken cancellationToken)
    {
        await SendAsync(new ZkCreateRequest(serverPath, ReadOnlyMemory<byte>.Empty, DefaultAcl, ZkCreateMode.Persistent), serverPath, cancellationToken);
    }

    public async Task DeleteAsync(string path, int version, CancellationToken cancellationToken = default) =>
        await SendAsync(new ZkDeleteRequest(ToServer(path), version), path, cancellationToken);

    /// <summary>The node's stat, or null when it does not exist. A watcher is told when it is created, changed or deleted.</summary>
    public async Task<ZkStat?> ExistsAsync(string path, ChannelWriter<ZkWatcherEvent>? watcher = null, CancellationToken cancellationToken = default)
    {
        var serverPath = ToServer(path);
        Action<ZkReplyHeader>? register = watcher is null ? null : header =>
        {
            if (header.Err is ZkErrorCode.Ok)
            {
                watches.Add(ZkWatchKind.Data, serverPath, watcher);
            }
            else if (header.Err is ZkErrorCode.NoNode)
            {
                watches.Add(ZkWatchKind.Exist, serverPath, watcher);
            }
        };
        var reply = await session.RequestAsync(new ZkExistsRequest(serverPath, watcher is not null), register, cancellationToken);
        if (reply.Header.Err == ZkErrorCode.NoNode)
        {
            return null;
        }

        ThrowIfError(reply, path);
        return ZkStat.Read(reply.BodyReader());
    }

    /// <summary>The node's data and stat. A watcher is told when the data changes or the node is deleted.</summary>
    public async Task<ZkGetDataResponse> GetDataAsync(string path, ChannelWriter<ZkWatcherEvent>? watcher = null, CancellationToken cancellationToken = default)
    {
        var serverPath = ToServer(path);
        Action<ZkReplyHeader>? register = watcher is null ? null : header =>
        {
            if (header.Err is ZkErrorCode.Ok)
            {
                watches.Add(ZkWatchKind.Data, serverPath, watcher);
            }
        };
        var reply = await session.RequestAsync(new ZkGetDataRequest(serverPath, watcher is not null), register, cancellationToken);
        ThrowIfError(reply, path);
        return ZkGetDataResponse.Read(reply.BodyReader());
    }

    public async Task<ZkStat> SetDataAsync(string path, ReadOnlyMemory<byte> data, int version, CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync(new ZkSetDataRequest(ToServer(path), data, version), path, cancellationToken);
        return ZkStat.Read(reply.BodyReader());
    }

    public async Task<ZkGetChildren2Response> GetChildrenAsync(string path, CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync(new ZkGetChildren2Request(ToServer(path), false), path, cancellationToken);
        return ZkGetChildren2Response.Read(reply.BodyReader());
    }

    /// <summary>Runs create/delete/setData/check ops as one transaction.</summary>
    /// <exception cref="ZkMultiException">The transaction failed; nothing was applied.</exception>
    public async Task<IReadOnlyList<ZkMultiResult>> MultiAsync(IReadOnlyList<IZkRequest> ops, CancellationToken cancellationToken = default)
    {
        var serverOps = ops.Select(ToServer).ToList();
        var reply = await session.RequestAsync(new ZkMultiRequest(serverOps), null, cancellationToken);
        var results = reply.Body.IsEmpty ? [] : ZkMultiResponse.Read(reply.BodyReader());
        var (code, index) = ZkMultiResponse.FirstFailure(results);
        if (code == ZkErrorCode.Ok && reply.Header.Err != ZkErrorCode.Ok)
        {
            code = reply.Header.Err;
        }

        if (code != ZkErrorCode.Ok)
        {
            throw new ZkMultiException(code, index, index >= 0 && index < ops.Count ? PathOf(ops[index]) : "");
        }

        return results;
    }

    /// <summary>ZooKeeper 3.6+: a persistent (optionally recursive) watch that stays armed after firing.</summary>
    public async Task AddWatchAsync(string path, bool recursive, ChannelWriter<ZkWatcherEvent> watcher, CancellationToken cancellationToken = default)
    {
        var serverPath = ToServer(path);
        var kind = recursive ? ZkWatchKind.PersistentRecursive : ZkWatchKind.Persistent;
        var reply = await session.RequestAsync(new ZkAddWatchRequest(serverPath, recursive), header =>
        {
            if (header.Err == ZkErrorCode.Ok)
            {
                watches.Add(kind, serverPath, watcher);
            }
        }, cancellationToken);
        ThrowIfError(reply, path);
    }

    /// <summary>Drops a persistent watch locally, and on the server once no local watcher needs it.</summary>
    public async Task RemovePersistentWatchAsync(string path, bool recursive, ChannelWriter<ZkWatcherEvent> watcher, CancellationToken cancellationToken = default)
    {
        var serverPath = ToServer(path);
        var kind = recursive ? ZkWatchKind.PersistentRecursive : ZkWatchKind.Persistent;
        if (watches.Remove(kind, serverPath, watcher))
        {
            var type = recursive ? ZkWatcherType.PersistentRecursive : ZkWatcherType.Persistent;
            var reply = await session.RequestAsync(new ZkRemoveWatchesRequest(serverPath, type), null, cancellationToken);
            if (reply.Header.Err is not ZkErrorCode.Ok and not ZkErrorCode.NoWatcher)
            {
                ThrowIfError(reply, path);
            }
        }
    }

    /// <summary>Forgets a one-shot watcher everywhere; the server-side watch fires once more into nothing.</summary>
    public void Unwatch(ChannelWriter<ZkWatcherEvent> watcher) => watches.RemoveEverywhere(watcher);

    /// <summary>
    /// The next notification for a watcher. When the client closes, this ends with an
    /// ObjectDisposedException however the watcher's registrations stand (an expiry may have dropped them).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The client was closed.</exception>
    public async Task<ZkWatcherEvent> NextEventAsync(ChannelReader<ZkWatcherEvent> reader, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Closing);
        try
        {
            var next = await reader.ReadAsync(linked.Token);
            if (next.Type == ZkEventType.None && next.State == ZkKeeperState.Closed)
            {
                throw new ObjectDisposedException("the ZooKeeper client was closed", innerException: null);
            }

            return next;
        }
        catch (OperationCanceledException error) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException("the ZooKeeper client was closed", error);
        }
    }

    public ValueTask DisposeAsync() => session.DisposeAsync();

    private async Task<ZkReply> SendAsync(IZkRequest request, string path, CancellationToken cancellationToken)
    {
        var reply = await session.RequestAsync(request, null, cancellationToken);
        ThrowIfError(reply, path);
        return reply;
    }

    private static void ThrowIfError(ZkReply reply, string path)
    {
        if (reply.Header.Err != ZkErrorCode.Ok)
        {
            throw new ZkException(reply.Header.Err, path);
        }
    }

    private string ToServer(string path) => chroot.Length == 0 ? path : path == "/" ? chroot : chroot + path;

    private string ToClient(string serverPath)
    {
        if (chroot.Length == 0)
        {
            return serverPath;
        }

        return serverPath == chroot ? "/" : serverPath.StartsWith(chroot + "/", StringComparison.Ordinal) ? serverPath[chroot.Length..] : serverPath;
    }

    private IZkRequest ToServer(IZkRequest op) => op switch
    {
        ZkCreateRequest create => create with { Path = ToServer(create.Path), Acl = DefaultAcl },
        ZkDeleteRequest delete => delete with { Path = ToServer(delete.Path) },
        ZkSetDataRequest setData => setData with { Path = ToServer(setData.Path) },
        ZkCheckVersionRequest check => check with { Path = ToServer(check.Path) },
        _ => throw new ArgumentException($"{op.GetType().Name} cannot be part of a multi", nameof(op)),
    };

    private static string PathOf(IZkRequest op) => op switch
    {
        ZkCreateRequest create => create.Path,
        ZkDeleteRequest delete => delete.Path,
        ZkSetDataRequest setData => setData.Path,
        ZkCheckVersionRequest check => check.Path,
        _ => "",
    };
}

/// <summary>A multi failed: <see cref="ZkException.Code"/> is the failing op's code, <see cref="FailedIndex"/> its position.</summary>
public sealed class ZkMultiException(ZkErrorCode code, int failedIndex, string path) : ZkException(code, path, $"op {failedIndex} of a multi failed")
{
    public int FailedIndex { get; } = failedIndex;
}
