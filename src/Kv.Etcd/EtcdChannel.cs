using System.Net.Security;
using ContivKsr.Kv.Etcd.Core;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContivKsr.Kv.Etcd;

/// <summary>
/// One gRPC channel over all endpoints. dotnet-etcd 9.1's connection-string constructor puts a
/// comma-separated list behind the same Grpc.Net.Client static resolver, but with round-robin
/// and a retry policy of 5 attempts on Unavailable with 1-5 s backoff, so one call can outlive a
/// short connection timeout. The channel is built here instead (and handed to EtcdClient) so the
/// store owns its order, reconnect backoff, TLS handler and disposal. pick_first tries the
/// endpoints in the configured order and moves to the next when one refuses or drops, which is
/// the failover KvStoreConfig promises.
/// </summary>
internal sealed class EtcdChannel : IDisposable
{
    private readonly ServiceProvider services;

    public EtcdChannel(EtcdEndpoints endpoints, KvStoreConfig config)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = config.ConnectionTimeout,
            // Pings find a silently dead server under a long watch, where no call deadline applies.
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = config.ConnectionTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            EnableMultipleHttp2Connections = true,
        };
        if (endpoints.UseTls)
        {
            // gRPC is HTTP/2 only; without ALPN some proxies fall back to HTTP/1.1.
            handler.SslOptions = EtcdTls.Build(config.Tls, SslApplicationProtocol.Http2);
        }

        var addresses = endpoints.Uris.Select(u => new BalancerAddress(u.IdnHost, u.Port)).ToArray();
        services = new ServiceCollection()
            .AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses))
            .BuildServiceProvider();

        Channel = GrpcChannel.ForAddress("static://etcd", new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            Credentials = endpoints.UseTls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            ServiceProvider = services,
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new PickFirstConfig() } },
            // ThrowOperationCanceledOnCancellation stays off: it also turns an exceeded deadline
            // into OperationCanceledException, which must surface as KvNotReachableException.
            // gRPC's default 4 MiB would cap a List of many pods; pages keep responses far below this.
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            // After an outage reconnect soon: calls wait for a ready connection only up to the timeout.
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(200),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
        });
    }

    public GrpcChannel Channel { get; }

    public void Dispose()
    {
        Channel.Dispose();
        services.Dispose();
    }
}
