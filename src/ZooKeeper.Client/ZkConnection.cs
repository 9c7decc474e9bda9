using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using ContivKsr.ZooKeeper.Client.Protocol;

namespace ContivKsr.ZooKeeper.Client;

/// <summary>
/// One TCP (optionally TLS) connection to one ZooKeeper server: 4-byte big-endian length framing,
/// the handshake's first exchange, and replies matched to requests by xid. Notifications (xid -1)
/// go to a callback. When the connection breaks, every pending request fails with ConnectionLoss.
/// It never reconnects; <see cref="ZkSession"/> does.
/// </summary>
internal sealed class ZkConnection : IDisposable
{
    /// <summary>Larger than any reply a server with the default jute.maxbuffer (1 MiB) sends; a bigger length means a broken stream.</summary>
    private const int MaxFrameBytes = 64 << 20;

    private readonly Socket socket;
    private readonly Stream stream;
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, PendingRequest> pending = new();
    private readonly TaskCompletionSource<Exception> closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<ZkWatcherEvent> onNotification;
    private readonly Action<long> onZxid;
    private long lastReceivedTicks = Environment.TickCount64;

    private ZkConnection(Socket socket, Stream stream, string endpoint, Action<ZkWatcherEvent> onNotification, Action<long> onZxid)
    {
        this.socket = socket;
        this.stream = stream;
        Endpoint = endpoint;
        this.onNotification = onNotification;
        this.onZxid = onZxid;
    }

    public string Endpoint { get; }

    /// <summary>Completes, with the reason, when the connection is closed or broken.</summary>
    public Task<Exception> Closed => closed.Task;

    /// <summary>How long since the server last sent anything (replies, pings, notifications).</summary>
    public TimeSpan SinceLastReceived => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref lastReceivedTicks));

    /// <summary>Connects and exchanges ConnectRequest/ConnectResponse; the caller checks the response (an expired session has timeout 0).</summary>
    public static async Task<(ZkConnection Connection, ZkConnectResponse Response)> OpenAsync(
        string host,
        int port,
        ZkTls? tls,
        ZkConnectRequest request,
        Action<ZkWatcherEvent> onNotification,
        Action<long> onZxid,
        CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(tls.ClientOptions(host), cancellationToken);
            }

            var writer = new JuteWriter();
            request.Write(writer);
            await WriteFrameAsync(stream, writer.WrittenMemory, cancellationToken);
            var frame = await ReadFrameAsync(stream, cancellationToken)
                ?? throw new IOException($"{host}:{port} closed the connection during the handshake");
            var response = ZkConnectResponse.Read(new JuteReader(frame));

            var connection = new ZkConnection(socket, stream, $"{host}:{port}", onNotification, onZxid);
            _ = connection.ReceiveLoopAsync();
            return (connection, response);
        }
        catch
        {
            stream?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends one request. <paramref name="onReply"/> runs on the receive loop before any later frame is
    /// handled, so a watch registered there cannot miss a notification that follows the reply.
    /// </summary>
    public async Task<ZkReply> SendAsync(int xid, int opCode, IZkRequest? body, Action<ZkReplyHeader>? onReply = null)
    {
        var entry = new PendingRequest(onReply);
        pending[xid] = entry;
        if (closed.Task.IsCompleted)
        {
            FailPending(closed.Task.Result);
        }

        var writer = new JuteWriter();
        writer.WriteInt(0); // the frame length, filled in below
        new ZkRequestHeader(xid, opCode).Write(writer);
        body?.Write(writer);
        var frame = writer.ToFrame();

        try
        {
            await writeLock.WaitAsync();
            try
            {
                await stream.WriteAsync(frame);
                await stream.FlushAsync();
            }
            finally
            {
                writeLock.Release();
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or SocketException)
        {
            Close(error);
        }

        return await entry.Completion.Task;
    }

    /// <summary>Closes the connection; pending requests fail with ConnectionLoss carrying <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        if (closed.TrySetResult(reason))
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already reset by the peer.
            }
            catch (ObjectDisposedException)
            {
            }

            stream.Dispose();
            socket.Dispose();
        }

        FailPending(reason);
    }

    public void Dispose() => Close(new ObjectDisposedException(nameof(ZkConnection)));

    private static async Task WriteFrameAsync(Stream stream, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, payload.Length);
        await stream.WriteAsync(length, cancellationToken);
        await stream.WriteAsync(payload, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Reads one frame; null when the server closed the stream cleanly between frames.</summary>
    private static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        var read = await stream.ReadAtLeastAsync(header, 4, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            return null;
        }

        if (read < 4)
        {
            throw new IOException("the server closed the connection in the middle of a frame");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 0 or > MaxFrameBytes)
        {
            throw new ZkProtocolException($"frame length {length} is out of range");
        }

        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, cancellationToken);
        return payload;
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var frame = await ReadFrameAsync(stream, CancellationToken.None)
                    ?? throw new IOException($"{Endpoint} closed the connection");
                Interlocked.Exchange(ref lastReceivedTicks, Environment.TickCount64);
                var reader = new JuteReader(frame);
                var header = ZkReplyHeader.Read(reader);
                if (header.Zxid > 0)
                {
                    onZxid(header.Zxid);
                }

                if (header.Xid == ZkXid.Notification)
                {
                    onNotification(ZkWatcherEvent.Read(reader));
                    continue;
                }

                if (pending.TryRemove(header.Xid, out var entry))
                {
                    entry.OnReply?.Invoke(header);
                    entry.Completion.TrySetResult(new ZkReply(header, reader.Rest));
                }

                // A reply nobody waits for (a ping superseded by the next one) is dropped.
            }
        }
        catch (Exception error)
        {
            Close(error);
        }
    }

    private void FailPending(Exception reason)
    {
        foreach (var xid in pending.Keys)
        {
            if (pending.TryRemove(xid, out var entry))
            {
                entry.Completion.TrySetException(new ZkException(ZkErrorCode.ConnectionLoss, "", $"connection to {Endpoint} lost: {reason.Message}", reason));
            }
        }
    }

    private sealed class PendingRequest(Action<ZkReplyHeader>? onReply)
    {
        public Action<ZkReplyHeader>? OnReply { get; } = onReply;

        public TaskCompletionSource<ZkReply> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
