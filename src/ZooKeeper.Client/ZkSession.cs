using System.Diagnostics;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.ZooKeeper.Client;

/// <summary>
/// A ZooKeeper session kept alive across connections: the handshake (session timeout negotiation,
/// session id and password, last zxid seen), digest credentials and watches re-sent on every new
/// connection, pings at a third of the negotiated timeout, a connection declared dead after two
/// thirds of it without a byte from the server, and reconnection to the next server of the list.
/// When the session expires (the server says so, or no server could be reached for the whole
/// timeout) a new one is opened and watchers get an Expired event. Requests wait for a connection
/// at most the connection timeout, and for their reply at most two thirds of the session timeout.
/// </summary>
public sealed class ZkSession : IAsyncDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    private readonly ZkConnectString target;
    private readonly TimeSpan requestedTimeout;
    private readonly TimeSpan connectionTimeout;
    private readonly ZkAuthPacket? auth;
    private readonly ZkTls? tls;
    private readonly ZkWatchManager watches;
    private readonly object gate = new();
    private readonly CancellationTokenSource closing = new();
    private readonly CancellationTokenSource disposing = new();
    private readonly Task maintainer;
    private TaskCompletionSource stateChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ZkConnection? connection;
    private Exception? lastConnectError;
    private long sessionId;
    private byte[] password = new byte[16];
    private long lastZxid;
    private int negotiatedTimeoutMs;
    private int nextXid;
    private int nextServer;

    internal ZkSession(ZkConnectString target, TimeSpan sessionTimeout, TimeSpan connectionTimeout, ZkAuthPacket? auth, ZkTls? tls, ZkWatchManager watches)
    {
        this.target = target;
        requestedTimeout = sessionTimeout;
        this.connectionTimeout = connectionTimeout;
        this.auth = auth;
        this.tls = tls;
        this.watches = watches;
        maintainer = Task.Run(MaintainAsync);
    }

    public long SessionId => Interlocked.Read(ref sessionId);

    /// <summary>The session timeout the server granted (zero until the first connection).</summary>
    public TimeSpan NegotiatedTimeout => TimeSpan.FromMilliseconds(Volatile.Read(ref negotiatedTimeoutMs));

    /// <summary>
    /// Cancelled as soon as the session starts closing: whatever waits for notifications (watches,
    /// lock monitors) stops on it, whether or not its watch registrations are still there.
    /// </summary>
    public CancellationToken Closing => closing.Token;

    /// <summary>The server of the current connection, or null while disconnected.</summary>
    public string? ConnectedServer => Volatile.Read(ref connection)?.Endpoint;

    /// <summary>
    /// Sends a request on the current connection, waiting for one if needed.
    /// </summary>
    /// <exception cref="ZkException">ConnectionLoss when no server answered within the connection timeout or the connection broke before the reply.</exception>
    internal async Task<ZkReply> RequestAsync(IZkRequest request, Action<ZkReplyHeader>? onReply, CancellationToken cancellationToken)
    {
        var current = await WaitConnectedAsync(cancellationToken);
        var xid = Interlocked.Increment(ref nextXid) & int.MaxValue;
        var reply = current.SendAsync(xid, request.OpCode, request, onReply);
        try
        {
            return await reply.WaitAsync(ReplyDeadline, cancellationToken);
        }
        catch (TimeoutException error)
        {
            // A server that stops answering is as good as gone: drop it and let the session move on.
            current.Close(error);
            throw new ZkException(ZkErrorCode.ConnectionLoss, "", $"{current.Endpoint} did not answer within {ReplyDeadline.TotalSeconds:0.#} s", error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (closing.IsCancellationRequested)
        {
            return;
        }

        // From here on no new connection is made and no new request sent: a reconnect racing the
        // closeSession below would find the session gone and start a new one.
        await closing.CancelAsync();
        var current = Volatile.Read(ref connection);
        if (current is not null)
        {
            // Closing the session deletes its ephemeral nodes (locks, TTL-less leases) at once
            // instead of after the session timeout.
            try
            {
                var xid = Interlocked.Increment(ref nextXid) & int.MaxValue;
                await current.SendAsync(xid, ZkOpCode.CloseSession, new ZkCloseSessionRequest()).WaitAsync(Min(connectionTimeout, TimeSpan.FromSeconds(3)));
            }
            catch (Exception error) when (error is ZkException or TimeoutException)
            {
                // The server expires the session by itself.
            }
        }

        await disposing.CancelAsync();
        current?.Close(new ObjectDisposedException(nameof(ZkSession)));
        SignalStateChanged();
        watches.Dispatch(ZkWatcherEvent.StateChange(ZkKeeperState.Closed));
        try
        {
            await maintainer;
        }
        catch (OperationCanceledException)
        {
        }

        disposing.Dispose();
    }

    private TimeSpan ReplyDeadline
    {
        get
        {
            var negotiated = NegotiatedTimeout;
            var readTimeout = negotiated > TimeSpan.Zero ? negotiated * 2 / 3 : requestedTimeout * 2 / 3;
            return Max(readTimeout, connectionTimeout);
        }
    }

    private async Task<ZkConnection> WaitConnectedAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(closing.IsCancellationRequested, this);
                if (connection is not null)
                {
                    return connection;
                }

                changed = stateChanged.Task;
            }

            var remaining = connectionTimeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                var cause = Volatile.Read(ref lastConnectError);
                var servers = string.Join(",", target.Servers.Select(s => $"{s.Host}:{s.Port}"));
                throw new ZkException(ZkErrorCode.ConnectionLoss, "", $"no ZooKeeper server of {servers} reachable within {connectionTimeout.TotalSeconds:0.#} s" + (cause is null ? "" : $" ({cause.Message})"), cause);
            }

            try
            {
                await changed.WaitAsync(remaining, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Loop once more to report the failure.
            }
        }
    }

    private async Task MaintainAsync()
    {
        var disconnectedSince = Stopwatch.StartNew();
        while (!closing.IsCancellationRequested)
        {
            var current = await ConnectToAnyServerAsync();
            if (current is null)
            {
                if (SessionId != 0 && disconnectedSince.Elapsed > NegotiatedTimeout)
                {
                    // No server to ask, but the session is certainly gone by now.
                    Expire();
                }

                await PauseAsync(RetryPause);
                continue;
            }

            lock (gate)
            {
                connection = current;
            }

            SignalStateChanged();
            watches.Dispatch(ZkWatcherEvent.StateChange(ZkKeeperState.SyncConnected));
            await PingUntilClosedAsync(current);

            lock (gate)
            {
                connection = null;
            }

            disconnectedSince.Restart();
            SignalStateChanged();
            if (!closing.IsCancellationRequested)
            {
                watches.Dispatch(ZkWatcherEvent.StateChange(ZkKeeperState.Disconnected));
            }
        }
    }

    /// <summary>Tries each server once, starting after the last one used; null when none took us.</summary>
    private async Task<ZkConnection?> ConnectToAnyServerAsync()
    {
        for (var attempt = 0; attempt < target.Servers.Count && !closing.IsCancellationRequested; attempt++)
        {
            var (host, port) = target.Servers[nextServer++ % target.Servers.Count];
            try
            {
                return await ConnectAsync(host, port);
            }
            catch (Exception error) when (error is not ObjectDisposedException || !disposing.IsCancellationRequested)
            {
                Volatile.Write(ref lastConnectError, error is OperationCanceledException && !disposing.IsCancellationRequested
                    ? new TimeoutException($"{host}:{port} did not complete the handshake within {connectionTimeout.TotalSeconds:0.#} s")
                    : error);
            }
        }

        return null;
    }

    private async Task<ZkConnection> ConnectAsync(string host, int port)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(closing.Token);
        deadline.CancelAfter(connectionTimeout);
        var request = new ZkConnectRequest(Interlocked.Read(ref lastZxid), (int)requestedTimeout.TotalMilliseconds, SessionId, password, ReadOnly: false);
        var (opened, response) = await ZkConnection.OpenAsync(host, port, tls, request, watches.Dispatch, OnZxid, deadline.Token);
        try
        {
            if (response.TimeoutMs <= 0)
            {
                // The server no longer knows our session: start a fresh one right away.
                opened.Dispose();
                Expire();
                request = request with { SessionId = 0, Password = new byte[16] };
                (opened, response) = await ZkConnection.OpenAsync(host, port, tls, request, watches.Dispatch, OnZxid, deadline.Token);
                if (response.TimeoutMs <= 0)
                {
                    throw new IOException($"{host}:{port} refused to open a session");
                }
            }

            Interlocked.Exchange(ref sessionId, response.SessionId);
            password = response.Password;
            Volatile.Write(ref negotiatedTimeoutMs, response.TimeoutMs);

            if (auth is not null)
            {
                var reply = await opened.SendAsync(ZkXid.Auth, ZkOpCode.Auth, new AuthRequest(auth)).WaitAsync(deadline.Token);
                if (reply.Header.Err != ZkErrorCode.Ok)
                {
                    throw new ZkException(reply.Header.Err, "", $"{host}:{port} refused the {auth.Scheme} credentials");
                }
            }

            var setWatches = watches.ToSetWatches(Interlocked.Read(ref lastZxid));
            if (setWatches is not null)
            {
                var reply = await opened.SendAsync(ZkXid.SetWatches, setWatches.OpCode, new SetWatchesRequest(setWatches)).WaitAsync(deadline.Token);
                if (reply.Header.Err != ZkErrorCode.Ok)
                {
                    throw new ZkException(reply.Header.Err, "", $"{host}:{port} refused to re-arm {setWatches.DataWatches.Count + setWatches.PersistentRecursiveWatches.Count} watches");
                }
            }

            return opened;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    private async Task PingUntilClosedAsync(ZkConnection current)
    {
        var timeout = NegotiatedTimeout;
        var interval = timeout / 3;
        var readTimeout = timeout * 2 / 3;
        while (!current.Closed.IsCompleted)
        {
            await Task.WhenAny(current.Closed, Task.Delay(interval, disposing.Token).ContinueWith(static _ => { }, TaskScheduler.Default));
            if (disposing.IsCancellationRequested)
            {
                // Connected just as the store was being closed: nobody else will close this one.
                current.Close(new ObjectDisposedException(nameof(ZkSession)));
                break;
            }

            if (current.Closed.IsCompleted)
            {
                break;
            }

            if (current.SinceLastReceived > readTimeout)
            {
                current.Close(new TimeoutException($"nothing heard from {current.Endpoint} for {current.SinceLastReceived.TotalSeconds:0.#} s"));
                break;
            }

            // The reply only refreshes the "last heard" clock; a superseded ping's reply is dropped.
            _ = current.SendAsync(ZkXid.Ping, ZkOpCode.Ping, body: null).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }

        await current.Closed;
    }

    private void Expire()
    {
        Interlocked.Exchange(ref sessionId, 0);
        password = new byte[16];
        watches.Dispatch(ZkWatcherEvent.StateChange(ZkKeeperState.Expired));
    }

    private void OnZxid(long zxid)
    {
        var seen = Interlocked.Read(ref lastZxid);
        while (zxid > seen)
        {
            var previous = Interlocked.CompareExchange(ref lastZxid, zxid, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private void SignalStateChanged()
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            previous = stateChanged;
            stateChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private async Task PauseAsync(TimeSpan pause)
    {
        try
        {
            await Task.Delay(pause, disposing.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Adapts the auth packet to the request interface (opcode 100, sent with xid -4).</summary>
    private sealed class AuthRequest(ZkAuthPacket packet) : IZkRequest
    {
        public int OpCode => ZkOpCode.Auth;

        public void Write(JuteWriter writer) => packet.Write(writer);
    }

    private sealed class SetWatchesRequest(ZkSetWatches record) : IZkRequest
    {
        public int OpCode => record.OpCode;

        public void Write(JuteWriter writer) => record.Write(writer);
    }
}
