using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// A plain dotnet-etcd client for what tests do behind the store's back: compacting history,
/// setting up users and roles, revoking leases.
/// </summary>
internal sealed class EtcdAdmin : IDisposable
{
    private readonly EtcdClient client;

    public EtcdAdmin(string endpoint, Metadata? headers = null)
    {
        client = new EtcdClient($"http://{endpoint}", configureChannelOptions: o => o.Credentials = ChannelCredentials.Insecure);
        Headers = headers;
    }

    public EtcdClient Client => client;

    public Metadata? Headers { get; set; }

    public async Task<long> CurrentRevisionAsync() =>
        (await client.GetAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("\0"), CountOnly = true }, Headers)).Header.Revision;

    /// <summary>Drops all history before the current revision, as etcd's auto-compaction would.</summary>
    public async Task CompactAsync()
    {
        var revision = await CurrentRevisionAsync();
        await client.CompactAsync(new CompactionRequest { Revision = revision, Physical = true }, Headers);
    }

    public async Task<long> LeaseOfAsync(string key) =>
        (await client.GetAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8(key) }, Headers)).Kvs.Single().Lease;

    /// <summary>Every key etcd holds that starts with <paramref name="prefix"/>, byte for byte (no normalisation).</summary>
    public async Task<IReadOnlyList<string>> RawKeysAsync(string prefix)
    {
        var range = await client.GetRangeAsync(prefix, Headers);
        return range.Kvs.Select(kv => kv.Key.ToStringUtf8()).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Writes a key exactly as given, as a Go client of etcd would.</summary>
    public Task PutRawAsync(string key, string value) => client.PutAsync(key, value, Headers);

    public Task RevokeAsync(long lease) => client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, Headers);

    public void Dispose() => client.Dispose();
}
