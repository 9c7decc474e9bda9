using ContivKsr.Kv.Etcd.Core;
using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;

namespace ContivKsr.Kv.Etcd;

/// <summary>
/// The channel, dotnet-etcd's protocol clients, the auth token and the per-call rules every
/// request follows: wait for a ready connection (so a call fails over instead of failing fast)
/// but never longer than the connection timeout, and typed errors.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private readonly EtcdChannel channel;
    private readonly EtcdClient client;
    private readonly KvStoreConfig config;
    private readonly SemaphoreSlim authGate = new(1, 1);
    private readonly CancellationTokenSource closed = new();
    private Metadata? authHeaders;

    public EtcdConnection(KvStoreConfig config)
    {
        if (config.ConnectionTimeout <= TimeSpan.Zero)
        {
            throw new KvInvalidConfigException("the connection timeout must be positive");
        }

        if (string.IsNullOrEmpty(config.Username) && !string.IsNullOrEmpty(config.Password))
        {
            throw new KvInvalidConfigException("an etcd password needs a username");
        }

        this.config = config;
        Keys = new EtcdKeys(EtcdOptions.Of(config).LeadingSlash);
        Endpoints = EtcdEndpoints.Parse(config.Endpoints, config.Tls is not null);
        channel = new EtcdChannel(Endpoints, config);
        client = new EtcdClient(channel.Channel.CreateCallInvoker());
    }

    public EtcdEndpoints Endpoints { get; }

    /// <summary>How this store's keys look in etcd; every request and answer goes through it.</summary>
    public EtcdKeys Keys { get; }

    /// <summary>Cancelled when the store is disposed, so background work (lock renewal) stops with it.</summary>
    public CancellationToken Closed => closed.Token;

    public TimeSpan Timeout => config.ConnectionTimeout;

    public KV.KVClient Kv => client.GetConnection().KVClient;

    public Watch.WatchClient Watch => client.GetConnection().WatchClient;

    public Lease.LeaseClient Lease => client.GetConnection().LeaseClient;

    private bool HasCredentials => !string.IsNullOrEmpty(config.Username);

    /// <summary>
    /// One unary call with deadline, auth token (renewed once when etcd says it expired) and typed
    /// errors. A connection that cannot be opened (server just went down, failover to the next
    /// endpoint under way) is retried until the deadline: such a request never reached etcd, so
    /// retrying cannot apply a write twice.
    /// </summary>
    public async Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var renewed = false;
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var headers = await AuthHeadersAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await call(new CallOptions(headers, deadline, cancellationToken).WithWaitForReady()).ConfigureAwait(false);
            }
            catch (RpcException e) when (!renewed && HasCredentials && EtcdErrors.IsExpiredToken(e))
            {
                renewed = true;
                await RenewTokenAsync(headers, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (EtcdErrors.IsConnectFailure(e) && DateTime.UtcNow + pause < deadline)
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
            }
            catch (RpcException e)
            {
                throw Fail(e, cancellationToken);
            }
        }
    }

    /// <summary>Options for a long-lived stream: no deadline (the caller bounds its first answer), auth token attached.</summary>
    public async Task<CallOptions> StreamOptionsAsync(CancellationToken cancellationToken)
    {
        var headers = await AuthHeadersAsync(cancellationToken).ConfigureAwait(false);
        return new CallOptions(headers, deadline: null, cancellationToken).WithWaitForReady();
    }

    /// <summary>The exception to throw for a failed call; the caller's cancellation wins over whatever gRPC reported.</summary>
    public Exception Fail(RpcException e, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return EtcdErrors.Map(e, Endpoints, Timeout, connected: channel.Channel.State == ConnectivityState.Ready);
    }

    /// <summary>Forgets a token a stream was refused with, so the next attempt authenticates again.</summary>
    public Task RenewTokenAsync(Metadata? rejected, CancellationToken cancellationToken) =>
        HasCredentials ? RenewTokenCoreAsync(rejected, cancellationToken) : Task.CompletedTask;

    public void Dispose()
    {
        closed.Cancel();
        client.Dispose();
        channel.Dispose();
    }

    private async ValueTask<Metadata?> AuthHeadersAsync(CancellationToken cancellationToken)
    {
        if (!HasCredentials)
        {
            return null;
        }

        var headers = Volatile.Read(ref authHeaders);
        if (headers is not null)
        {
            return headers;
        }

        await authGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            authHeaders ??= await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
            return authHeaders;
        }
        finally
        {
            authGate.Release();
        }
    }

    private async Task RenewTokenCoreAsync(Metadata? rejected, CancellationToken cancellationToken)
    {
        await authGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Several calls may see the same expired token; only the first one re-authenticates.
            if (ReferenceEquals(authHeaders, rejected) || authHeaders is null)
            {
                authHeaders = await AuthenticateAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            authGate.Release();
        }
    }

    private async Task<Metadata> AuthenticateAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var request = new AuthenticateRequest { Name = config.Username, Password = config.Password ?? "" };
        while (true)
        {
            try
            {
                var response = await client.GetConnection().AuthClient.AuthenticateAsync(
                    request, new CallOptions(null, deadline, cancellationToken).WithWaitForReady()).ConfigureAwait(false);
                // etcd reads the token from the "token" metadata key (rpctypes.TokenFieldNameGRPC).
                return new Metadata { { "token", response.Token } };
            }
            catch (RpcException e) when (EtcdErrors.IsConnectFailure(e) && DateTime.UtcNow.AddMilliseconds(100) < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw Fail(e, cancellationToken);
            }
        }
    }
}
