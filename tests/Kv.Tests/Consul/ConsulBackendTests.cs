using System.Diagnostics;
using System.Text;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport;
using ContivKsr.TestSupport.Consul;

namespace ContivKsr.Kv.Tests.Consul;

/// <summary>
/// What only the Consul backend has: ACL tokens, sessions behind TTL keys and locks, transactions
/// of 64 operations, index resets, TLS. Tests that stop, secure or wipe a server start their own
/// emulator (in-process, milliseconds), so that they cannot disturb the shared one.
/// </summary>
[Collection("consul-backend")]
public sealed class ConsulBackendTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AclTokenIsSentAndAMissingOrWrongOneIsAccessDenied()
    {
        await using var emulator = await ConsulEmulator.StartAsync(o => o.RequiredToken = "s3cret");
        await using var withToken = KvStores.Open(emulator.Config());
        await using var withoutToken = KvStores.Open(emulator.Config() with { Token = null });
        await using var wrongToken = KvStores.Open(emulator.Config() with { Token = "guess" });

        await withToken.PutAsync("acl/key", Bytes("v"));
        Assert.Equal("v", (await withToken.GetAsync("acl/key")).ValueAsString());

        var anonymous = await Assert.ThrowsAsync<KvAccessDeniedException>(() => withoutToken.GetAsync("acl/key"));
        Assert.Equal("403", anonymous.BackendCode);
        Assert.Contains("Permission denied", anonymous.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<KvAccessDeniedException>(() => wrongToken.PutAsync("acl/key", Bytes("w")));
        Assert.Contains("ACL not found", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailsOverFromAClosedPortToTheNextEndpoint()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        var config = emulator.Config() with { Endpoints = [$"127.0.0.1:{FreePort.Closed()}", emulator.Endpoint] };
        await using var store = KvStores.Open(config);

        await store.PutAsync("failover/key", Bytes("reached"));

        Assert.Equal("reached", (await store.GetAsync("failover/key")).ValueAsString());
    }

    [Fact]
    public async Task EveryEndpointClosedFailsWithinTheConnectionTimeout()
    {
        var config = new KvStoreConfig
        {
            Backend = KvBackend.Consul,
            Endpoints = [$"127.0.0.1:{FreePort.Closed()}", $"127.0.0.1:{FreePort.Closed()}"],
            ConnectionTimeout = TimeSpan.FromSeconds(1),
        };
        await using var store = KvStores.Open(config);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<KvNotReachableException>(() => store.GetAsync("any"));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Contains("not reachable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchesLocksAndDeletesOfAnUnreachableStoreFailInTime()
    {
        var config = new KvStoreConfig
        {
            Backend = KvBackend.Consul,
            Endpoints = [$"127.0.0.1:{FreePort.Closed()}"],
            ConnectionTimeout = TimeSpan.FromSeconds(1),
        };
        await using var store = KvStores.Open(config);
        var calls = new Func<Task>[]
        {
            () => store.GetAsync("k"),
            () => store.DeleteAsync("k"),
            () => store.DeleteTreeAsync("d"),
            () => store.AtomicDeleteAsync("k", new KvPair("k", [], 5)),
            () => store.PutAsync("k", Bytes("v"), new KvWriteOptions(TimeSpan.FromSeconds(10))),
            async () => await store.WatchAsync("k").GetAsyncEnumerator().MoveNextAsync(),
            async () => await store.WatchTreeAsync("d").GetAsyncEnumerator().MoveNextAsync(),
            async () => await store.NewLock("l").LockAsync(),
        };

        foreach (var call in calls)
        {
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAsync<KvNotReachableException>(() => call().WaitAsync(Patience));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task HungServerIsNotReachableWithinTheConnectionTimeout()
    {
        using var silent = new SilentServer();
        var config = new KvStoreConfig { Backend = KvBackend.Consul, Endpoints = [silent.Endpoint], ConnectionTimeout = TimeSpan.FromSeconds(1) };
        await using var store = KvStores.Open(config);
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<KvNotReachableException>(() => store.PutAsync("hung/key", Bytes("v")).WaitAsync(Patience));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task FailsOverFromAHungServerWithinTheConnectionTimeout()
    {
        using var silent = new SilentServer();
        await using var emulator = await ConsulEmulator.StartAsync();
        var config = emulator.Config(TimeSpan.FromSeconds(4)) with { Endpoints = [silent.Endpoint, emulator.Endpoint] };
        await using var store = KvStores.Open(config);

        await store.PutAsync("hung/failover", Bytes("reached")).WaitAsync(Patience);

        Assert.Equal("reached", (await store.GetAsync("hung/failover")).ValueAsString());
    }

    [Fact]
    public async Task OutageIsNotReachableAndTheStoreRecoversWithItsData()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        await using var store = KvStores.Open(emulator.Config(TimeSpan.FromSeconds(2)));
        await store.PutAsync("outage/key", Bytes("kept"));

        emulator.Stop();
        await Assert.ThrowsAsync<KvNotReachableException>(() => store.GetAsync("outage/key").WaitAsync(Patience));

        await emulator.StartAgainAsync();
        Assert.Equal("kept", (await store.GetAsync("outage/key")).ValueAsString());
    }

    [Fact]
    public async Task WatchEndsWithNotReachableWhenTheServerGoesAway()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        await using var store = KvStores.Open(emulator.Config(TimeSpan.FromSeconds(1)));
        await store.PutAsync("watch/outage", Bytes("v"));
        await using var events = store.WatchAsync("watch/outage").GetAsyncEnumerator();
        Assert.True(await events.MoveNextAsync());

        var pending = events.MoveNextAsync().AsTask();
        await Task.Delay(200);
        emulator.Stop();

        await Assert.ThrowsAsync<KvNotReachableException>(() => pending.WaitAsync(Patience));
    }

    [Fact]
    public async Task WatchResetsItsIndexWhenTheServerIndexGoesBackwards()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        // A short connection timeout makes the blocking wait short (3×), so the reset shows quickly.
        await using var store = KvStores.Open(emulator.Config(TimeSpan.FromSeconds(2)));
        for (var i = 0; i < 20; i++)
        {
            await store.PutAsync($"reset/filler/{i}", Bytes("raise the index"));
        }

        await store.PutAsync("reset/key", Bytes("before"));
        using var cancel = new CancellationTokenSource(Patience * 2);
        await using var events = store.WatchAsync("reset/key", cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await events.MoveNextAsync());
        var before = events.Current.Pair.LastIndex;

        // A rebuilt cluster: the key comes back with a much lower index than the watch waits on.
        emulator.LoseData();
        await store.PutAsync("reset/key", Bytes("after the restore"));
        Assert.True((await store.GetAsync("reset/key")).LastIndex < before);

        Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.Equal(KvEventKind.Put, events.Current.Kind);
        Assert.Equal("after the restore", events.Current.Pair.ValueAsString());
    }

    [Fact]
    public async Task TtlBelowConsulsSessionMinimumIsRefused()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        await using var store = KvStores.Open(emulator.Config());

        await Assert.ThrowsAsync<KvCallNotSupportedException>(() => store.PutAsync("ttl/short", Bytes("v"), new KvWriteOptions(TimeSpan.FromSeconds(2))));
        Assert.False(await store.ExistsAsync("ttl/short"));

        await using var shortLock = store.NewLock("ttl/lock", new KvLockOptions(Ttl: TimeSpan.FromSeconds(2)));
        await Assert.ThrowsAsync<KvCallNotSupportedException>(() => shortLock.LockAsync());
    }

    [Fact]
    public async Task TtlKeyIsHeldByADeleteSessionAndGoesWithIt()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        await using var store = KvStores.Open(emulator.Config());
        using var raw = new ConsulRawClient(emulator.Endpoint);

        await store.PutAsync("ttl/key", Bytes("v"), new KvWriteOptions(TimeSpan.FromSeconds(10)));
        var session = SessionOf(await raw.GetAsync("v1/kv/ttl/key"));
        Assert.NotNull(session);
        var info = (await raw.GetAsync($"v1/session/info/{session}")).Json[0];
        Assert.Equal("delete", info.GetProperty("Behavior").GetString());
        Assert.Equal("10s", info.GetProperty("TTL").GetString());

        // Writing again with the same TTL renews the same session instead of piling up new ones.
        await store.PutAsync("ttl/key", Bytes("v2"), new KvWriteOptions(TimeSpan.FromSeconds(10)));
        Assert.Equal(session, SessionOf(await raw.GetAsync("v1/kv/ttl/key")));
        Assert.Single(emulator.SessionIds);

        emulator.DestroySession(session!);
        Assert.False(await store.ExistsAsync("ttl/key"));
    }

    [Fact]
    public async Task PlainPutMakesATtlKeyPermanentEvenFromAnotherClient()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        await using var store = KvStores.Open(emulator.Config());
        await using var otherClient = KvStores.Open(emulator.Config());
        using var raw = new ConsulRawClient(emulator.Endpoint);
        await store.PutAsync("ttl/then/plain", Bytes("expiring"), new KvWriteOptions(TimeSpan.FromSeconds(10)));
        var session = SessionOf(await raw.GetAsync("v1/kv/ttl/then/plain"))!;

        await otherClient.PutAsync("ttl/then/plain", Bytes("permanent"));

        Assert.Null(SessionOf(await raw.GetAsync("v1/kv/ttl/then/plain")));
        emulator.DestroySession(session);
        Assert.Equal("permanent", (await store.GetAsync("ttl/then/plain")).ValueAsString());
    }

    [Fact]
    public async Task LockIsLostWhenItsSessionIsDestroyed()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        await using var store = KvStores.Open(emulator.Config());
        using var raw = new ConsulRawClient(emulator.Endpoint);
        await using var held = store.NewLock("locks/session", new KvLockOptions(Encoding.UTF8.GetBytes("me"), TimeSpan.FromSeconds(10)));
        var lost = await held.LockAsync().WaitAsync(Patience);
        var lockKey = (await raw.GetAsync("v1/kv/locks/session")).Json[0];
        Assert.Equal("me", Encoding.UTF8.GetString(Convert.FromBase64String(lockKey.GetProperty("Value").GetString()!)));

        emulator.DestroySession(SessionOf(await raw.GetAsync("v1/kv/locks/session"))!);

        await WaitCancelledAsync(lost);
        Assert.False(await store.ExistsAsync("locks/session"));
    }

    [Fact]
    public async Task LockIsLostWhenSomeoneDeletesItsKey()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        await using var store = KvStores.Open(emulator.Config());
        await using var intruder = KvStores.Open(emulator.Config());
        await using var held = store.NewLock("locks/deleted", new KvLockOptions(Ttl: TimeSpan.FromSeconds(10)));
        var lost = await held.LockAsync().WaitAsync(Patience);

        await intruder.DeleteAsync("locks/deleted");

        await WaitCancelledAsync(lost);
    }

    [Fact]
    public async Task BatchOfMoreThan64OperationsGoesIn64OperationTransactions()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        await using var store = KvStores.Open(emulator.Config());
        var operations = Enumerable.Range(0, 200).Select(i => KvOperation.Put($"batch/{i:D3}", Bytes($"v{i}"))).ToList();
        var before = emulator.RaftIndex;

        await store.WriteBatchAsync(operations);

        // Every transaction is one raft apply: 200 operations are 4 transactions (64+64+64+8).
        Assert.Equal(before + 4, emulator.RaftIndex);
        var listed = await store.ListAsync("batch");
        Assert.Equal(200, listed.Count);
        Assert.Equal("v199", listed[^1].ValueAsString());
    }

    [Fact]
    public async Task BatchOfLargeValuesStaysWithinTheTransactionBodyLimit()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        await using var store = KvStores.Open(emulator.Config());
        var random = new Random(7);
        var values = Enumerable.Range(0, 6).Select(_ => { var v = new byte[150 * 1024]; random.NextBytes(v); return v; }).ToList();
        var huge = new byte[400 * 1024];
        random.NextBytes(huge);
        var operations = values.Select((v, i) => KvOperation.Put($"big/{i}", v)).Append(KvOperation.Put("big/huge", huge)).ToList();

        await store.WriteBatchAsync(operations);

        for (var i = 0; i < values.Count; i++)
        {
            Assert.Equal(values[i], (await store.GetAsync($"big/{i}")).Value);
        }

        Assert.Equal(huge, (await store.GetAsync("big/huge")).Value);
    }

    [Fact]
    public async Task TlsWithCaAndClientCertificate()
    {
        using var certificates = new TestCertificates();
        await using var emulator = await ConsulEmulator.StartAsync(o =>
        {
            o.ServerCertificate = certificates.Server;
            o.ClientCertificateAuthority = certificates.Authority;
        });
        var tls = new KvTlsConfig { CaFile = certificates.CaFile, CertFile = certificates.ClientCertFile, KeyFile = certificates.ClientKeyFile };
        await using var store = KvStores.Open(emulator.Config() with { Tls = tls });

        await store.PutAsync("tls/key", Bytes("over TLS"));
        Assert.Equal("over TLS", (await store.GetAsync("tls/key")).ValueAsString());

        // Without the client certificate the server refuses the handshake.
        await using var anonymous = KvStores.Open(emulator.Config(TimeSpan.FromSeconds(2)) with { Tls = tls with { CertFile = null, KeyFile = null } });
        await Assert.ThrowsAsync<KvNotReachableException>(() => anonymous.GetAsync("tls/key"));
    }

    [Fact]
    public async Task TlsRefusesAServerNotSignedByTheConfiguredCa()
    {
        using var serverCertificates = new TestCertificates();
        using var otherAuthority = new TestCertificates();
        await using var emulator = await ConsulEmulator.StartAsync(o => o.ServerCertificate = serverCertificates.Server);
        await using var store = KvStores.Open(emulator.Config(TimeSpan.FromSeconds(2)) with { Tls = new KvTlsConfig { CaFile = otherAuthority.CaFile } });

        await Assert.ThrowsAsync<KvNotReachableException>(() => store.GetAsync("tls/key"));
    }

    [Fact]
    public void UnreadableTlsFileIsAnInvalidConfig()
    {
        var config = new KvStoreConfig
        {
            Backend = KvBackend.Consul,
            Endpoints = ["127.0.0.1:8500"],
            Tls = new KvTlsConfig { CaFile = "/nonexistent/ca.pem" },
        };

        Assert.Throws<KvInvalidConfigException>(() => KvStores.Open(config));
    }

    private static string? SessionOf(RawAnswer answer) =>
        answer.Json[0].TryGetProperty("Session", out var session) ? session.GetString() : null;

    private static async Task WaitCancelledAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource();
        await using var registration = token.Register(() => cancelled.TrySetResult());
        await cancelled.Task.WaitAsync(Patience);
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
