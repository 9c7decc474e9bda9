using ContivKsr.Kv.Etcd.Core;
using Etcdserverpb;

namespace ContivKsr.Kv.Etcd;

/// <summary>TTLs are etcd leases: a key written with a lease disappears when the lease expires.</summary>
internal static class EtcdLeases
{
    /// <returns>A new lease of the TTL, or 0 (no lease) when there is no TTL.</returns>
    /// <remarks>
    /// Each TTL write gets its own lease; the lease of an overwritten key simply expires later
    /// with nothing attached, which costs etcd nothing worth sharing leases for.
    /// </remarks>
    public static async Task<long> GrantForAsync(EtcdConnection connection, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        if (ttl is null)
        {
            return 0;
        }

        if (ttl.Value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "a TTL must be positive");
        }

        var (id, _) = await GrantAsync(connection, ttl.Value, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <returns>The lease id and the TTL etcd granted (it may raise a very short one to its minimum).</returns>
    public static async Task<(long Id, TimeSpan Ttl)> GrantAsync(EtcdConnection connection, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var request = new LeaseGrantRequest { TTL = EtcdKey.TtlSeconds(ttl) };
        var response = await connection.CallAsync(o => connection.Lease.LeaseGrantAsync(request, o), cancellationToken).ConfigureAwait(false);
        return (response.ID, TimeSpan.FromSeconds(response.TTL));
    }

    /// <summary>Revokes a lease, deleting its keys. A lease that already expired is not an error.</summary>
    public static async Task RevokeAsync(EtcdConnection connection, long id, CancellationToken cancellationToken)
    {
        try
        {
            var request = new LeaseRevokeRequest { ID = id };
            await connection.CallAsync(o => connection.Lease.LeaseRevokeAsync(request, o), cancellationToken).ConfigureAwait(false);
        }
        catch (KvException e) when (e.BackendCode == nameof(Grpc.Core.StatusCode.NotFound))
        {
            // "requested lease not found": it expired on its own, which is what revoking wanted.
        }
    }

    /// <summary>Best-effort revoke while another error is being reported: an unrevoked lease expires on its own.</summary>
    public static async Task TryRevokeAsync(EtcdConnection connection, long id)
    {
        try
        {
            await RevokeAsync(connection, id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (KvException)
        {
            // Unreachable or refused: the lease runs out within its TTL.
        }
        catch (ObjectDisposedException)
        {
            // The store was closed meanwhile; same outcome.
        }
    }
}
