using ContivKsr.Kv.Stores;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>Username/password authentication against a real etcd with auth enabled.</summary>
[Collection("etcd-auth")]
public sealed class EtcdAuthTests(EtcdAuthFixture fixture)
{
    [Fact]
    public async Task RightPasswordReadsAndWritesOwnKeys()
    {
        await using var store = KvStores.Open(fixture.Config("alice", EtcdAuthFixture.AlicePassword));
        var key = $"alice/{Guid.NewGuid():N}";

        await store.PutAsync(key, "mine"u8.ToArray());

        Assert.Equal("mine", (await store.GetAsync(key)).ValueAsString());
        Assert.Single(await store.ListAsync("alice"), p => p.Key == key);
    }

    [Fact]
    public async Task WrongPasswordIsAccessDenied()
    {
        await using var store = KvStores.Open(fixture.Config("alice", "wrong"));

        var error = await Assert.ThrowsAsync<KvAccessDeniedException>(() => store.GetAsync("alice/x"));
        Assert.Equal("InvalidArgument", error.BackendCode);
    }

    [Fact]
    public async Task NoCredentialsIsAccessDenied()
    {
        await using var store = KvStores.Open(fixture.Config(null, null));

        await Assert.ThrowsAsync<KvAccessDeniedException>(() => store.GetAsync("alice/x"));
    }

    [Fact]
    public async Task KeysOutsideTheGrantAreAccessDenied()
    {
        await using var store = KvStores.Open(fixture.Config("alice", EtcdAuthFixture.AlicePassword));

        var error = await Assert.ThrowsAsync<KvAccessDeniedException>(() => store.PutAsync("bob/x", "no"u8.ToArray()));
        Assert.Equal("PermissionDenied", error.BackendCode);
    }

    [Fact]
    public async Task AnExpiredTokenIsRenewedTransparently()
    {
        await using var store = KvStores.Open(fixture.Config("alice", EtcdAuthFixture.AlicePassword));
        var key = $"alice/{Guid.NewGuid():N}";
        await store.PutAsync(key, "before"u8.ToArray());
        await using var events = store.WatchAsync(key).GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        using var admin = new EtcdAdmin(fixture.Server.Endpoint);
        var oldToken = (await admin.Client.AuthenticateAsync(new Etcdserverpb.AuthenticateRequest { Name = "alice", Password = EtcdAuthFixture.AlicePassword })).Token;

        await fixture.ExpireAliceTokensAsync();

        // The old token really is dead now, so the store must have authenticated again.
        admin.Headers = new Grpc.Core.Metadata { { "token", oldToken } };
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => admin.Client.GetAsync(key, admin.Headers));
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, refused.StatusCode);

        await store.PutAsync(key, "after"u8.ToArray());
        Assert.Equal("after", (await store.GetAsync(key)).ValueAsString());
        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal("after", events.Current.Pair.ValueAsString());
    }

    [Fact]
    public async Task LocksWorkWithAuthentication()
    {
        await using var store = KvStores.Open(fixture.Config("alice", EtcdAuthFixture.AlicePassword));
        await using var held = store.NewLock($"alice/lock-{Guid.NewGuid():N}", new KvLockOptions(Ttl: TimeSpan.FromSeconds(3)));

        var lost = await held.LockAsync().WaitAsync(TimeSpan.FromSeconds(15));

        Assert.False(lost.IsCancellationRequested);
        await held.UnlockAsync();
    }
}
