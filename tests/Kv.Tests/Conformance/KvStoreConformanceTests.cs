using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using ContivKsr.Kv.Stores;

namespace ContivKsr.Kv.Tests.Conformance;

/// <summary>
/// The IKvStore contract, written once and run against every backend (one derived class per
/// backend). It ports every case of docker/libkv's shared store test suite (store/testutils) with
/// assertions that can fail (the Go suite's <c>LastIndex != 0</c> checks could not), and adds the
/// cases ContivKsr relies on: key normalisation, sibling directories, unreachable stores,
/// batches, binary and 1 MiB values.
/// Every test works under its own unique key root, so the shared server needs no cleanup between tests.
/// </summary>
public abstract class KvStoreConformanceTests(IKvBackendFixture fixture)
{
    /// <summary>Upper bound for any single wait in these tests; a hang fails the test, not the run.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    protected IKvBackendFixture Fixture { get; } = fixture;

    protected IKvStore Store => Fixture.Store;

    /// <summary>The shortest TTL the backend honours (Consul sessions: 10 s).</summary>
    protected virtual TimeSpan MinimumTtl => TimeSpan.FromSeconds(2);

    /// <summary>The largest value the backend stores (Consul's KV limit is 512 KiB).</summary>
    protected virtual int MaxValueBytes => 1 << 20;

    /// <summary>A backend that truly cannot do a case returns why; the case is then reported as skipped.</summary>
    protected virtual string? WhyUnsupported(string caseName) => null;

    // ---- docker/libkv testPutGetDeleteExists ----

    [SkippableTheory]
    [InlineData("testPutGetDeleteExists")]
    [InlineData("testPutGetDeleteExists/")]
    [InlineData("testPutGetDeleteExists/testbar/")]
    [InlineData("testPutGetDeleteExists/testbar/testfoobar")]
    public async Task PutGetDeleteExists(string key)
    {
        SkipIfUnsupported();
        var root = UniqueRoot();
        var fullKey = $"{root}/{key}";
        var normalized = KvKey.Normalize(fullKey);

        await Store.PutAsync(fullKey, Bytes("bar"));

        var pair = await Store.GetAsync(fullKey);
        Assert.Equal(normalized, pair.Key);
        Assert.Equal("bar", pair.ValueAsString());
        Assert.True(pair.LastIndex > 0, $"LastIndex must be > 0, was {pair.LastIndex}");
        Assert.True(await Store.ExistsAsync(fullKey));

        await Store.DeleteAsync(fullKey);

        await Assert.ThrowsAsync<KvKeyNotFoundException>(() => Store.GetAsync(fullKey));
        Assert.False(await Store.ExistsAsync(fullKey));
        await Assert.ThrowsAsync<KvKeyNotFoundException>(() => Store.DeleteAsync(fullKey));
    }

    [SkippableFact]
    public async Task PutOverwritesAndRaisesLastIndex()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/key";
        await Store.PutAsync(key, Bytes("one"));
        var first = await Store.GetAsync(key);
        await Store.PutAsync(key, Bytes("two"));
        var second = await Store.GetAsync(key);

        Assert.Equal("two", second.ValueAsString());
        Assert.True(second.LastIndex > first.LastIndex, $"{second.LastIndex} should exceed {first.LastIndex}");
    }

    // ---- keys ----

    [SkippableFact]
    public async Task LeadingTrailingAndDoubleSlashesNameOneKey()
    {
        SkipIfUnsupported();
        var root = UniqueRoot();
        await Store.PutAsync($"/{root}//a/b/", Bytes("v1"));

        foreach (var spelling in new[] { $"{root}/a/b", $"/{root}/a/b", $"{root}/a/b/", $"//{root}/a//b" })
        {
            var pair = await Store.GetAsync(spelling);
            Assert.Equal($"{root}/a/b", pair.Key);
            Assert.Equal("v1", pair.ValueAsString());
        }

        var listed = await Store.ListAsync($"/{root}/a/");
        Assert.Equal([$"{root}/a/b"], listed.Select(p => p.Key));
    }

    [SkippableFact]
    public async Task BinaryValuesRoundTripExactly()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/binary";
        var value = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(new byte[] { 0, 0xFF, 0xC3, 0x28 }).ToArray();

        await Store.PutAsync(key, value);

        Assert.Equal(value, (await Store.GetAsync(key)).Value);
    }

    [SkippableFact]
    public async Task EmptyValueIsAValue()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/empty";

        await Store.PutAsync(key, ReadOnlyMemory<byte>.Empty);

        Assert.True(await Store.ExistsAsync(key));
        Assert.Empty((await Store.GetAsync(key)).Value);
        Assert.Equal([KvKey.Normalize(key)], (await Store.ListAsync(KeyParent(key))).Select(p => p.Key));
    }

    [SkippableFact]
    public async Task LargeValueRoundTrips()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/large";
        var value = new byte[MaxValueBytes];
        new Random(42).NextBytes(value);

        await Store.PutAsync(key, value);

        Assert.Equal(value, (await Store.GetAsync(key)).Value);
    }

    // ---- docker/libkv testList and testDeleteTree ----

    [SkippableFact]
    public async Task ListIsRecursiveSortedAndIgnoresSiblings()
    {
        SkipIfUnsupported();
        var root = UniqueRoot();
        await Store.PutAsync($"{root}/dir/sub/key2", Bytes("2"));
        await Store.PutAsync($"{root}/dir/key1", Bytes("1"));
        await Store.PutAsync($"{root}/dir/sub/deeper/key3", Bytes("3"));
        await Store.PutAsync($"{root}/dirX/other", Bytes("x"));
        await Store.PutAsync($"{root}/dirX", Bytes("sibling"));
        await Store.PutAsync($"{root}/dir", Bytes("the directory's own key is not below it"));

        foreach (var spelling in new[] { $"{root}/dir", $"{root}/dir/", $"/{root}/dir" })
        {
            var listed = await Store.ListAsync(spelling);
            Assert.Equal(
                [$"{root}/dir/key1", $"{root}/dir/sub/deeper/key3", $"{root}/dir/sub/key2"],
                listed.Select(p => p.Key));
            Assert.Equal(["1", "3", "2"], listed.Select(p => p.ValueAsString()));
            Assert.All(listed, p => Assert.True(p.LastIndex > 0));
        }

        Assert.Equal([$"{root}/dir/sub/deeper/key3", $"{root}/dir/sub/key2"], (await Store.ListAsync($"{root}/dir/sub")).Select(p => p.Key));
    }

    [SkippableFact]
    public async Task ListOfMissingDirectoryIsEmpty()
    {
        SkipIfUnsupported();
        Assert.Empty(await Store.ListAsync($"{UniqueRoot()}/nothing/here"));
    }

    [SkippableFact]
    public async Task DeleteTreeRemovesEverythingBelowButNotSiblings()
    {
        SkipIfUnsupported();
        var root = UniqueRoot();
        await Store.PutAsync($"{root}/tree", Bytes("the directory's own key"));
        await Store.PutAsync($"{root}/tree/a", Bytes("a"));
        await Store.PutAsync($"{root}/tree/b/c", Bytes("c"));
        await Store.PutAsync($"{root}/treeX", Bytes("sibling"));
        await Store.PutAsync($"{root}/treeX/d", Bytes("sibling child"));

        await Store.DeleteTreeAsync($"{root}/tree");

        Assert.Empty(await Store.ListAsync($"{root}/tree"));
        Assert.False(await Store.ExistsAsync($"{root}/tree"));
        Assert.False(await Store.ExistsAsync($"{root}/tree/a"));
        Assert.False(await Store.ExistsAsync($"{root}/tree/b/c"));
        Assert.Equal("sibling", (await Store.GetAsync($"{root}/treeX")).ValueAsString());
        Assert.Equal("sibling child", (await Store.GetAsync($"{root}/treeX/d")).ValueAsString());

        await Store.DeleteTreeAsync($"{root}/tree"); // deleting an empty tree is not an error
    }

    // ---- docker/libkv testAtomicPut, testAtomicPutCreate, testAtomicPutWithSlashSuffixKey ----

    [SkippableFact]
    public async Task AtomicPutSwapsOnlyFromTheCurrentIndex()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/atomic";
        await Store.PutAsync(key, Bytes("world"));
        var pair = await Store.GetAsync(key);

        var written = await Store.AtomicPutAsync(key, Bytes("worldmodified"), pair);

        Assert.Equal("worldmodified", written.ValueAsString());
        Assert.True(written.LastIndex > pair.LastIndex);
        Assert.Equal(written.LastIndex, (await Store.GetAsync(key)).LastIndex);
        Assert.Equal("worldmodified", (await Store.GetAsync(key)).ValueAsString());

        // The old pair is stale now: the swap must be refused and the value kept.
        await Assert.ThrowsAsync<KvKeyModifiedException>(() => Store.AtomicPutAsync(key, Bytes("stale"), pair));
        Assert.Equal("worldmodified", (await Store.GetAsync(key)).ValueAsString());

        // Chained swaps work from each returned pair.
        var again = await Store.AtomicPutAsync(key, Bytes("third"), written);
        Assert.Equal("third", (await Store.GetAsync(key)).ValueAsString());
        Assert.True(again.LastIndex > written.LastIndex);
    }

    [SkippableFact]
    public async Task AtomicPutWithoutPreviousCreatesOnlyOnce()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/create/key";

        var created = await Store.AtomicPutAsync(key, Bytes("putcreate"), previous: null);

        Assert.Equal("putcreate", created.ValueAsString());
        Assert.True(created.LastIndex > 0);
        Assert.Equal("putcreate", (await Store.GetAsync(key)).ValueAsString());
        await Assert.ThrowsAsync<KvKeyExistsException>(() => Store.AtomicPutAsync(key, Bytes("again"), previous: null));
        Assert.Equal("putcreate", (await Store.GetAsync(key)).ValueAsString());
    }

    [SkippableFact]
    public async Task AtomicPutOnKeyWithTrailingSlash()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/key/";

        var created = await Store.AtomicPutAsync(key, Bytes("slash"), previous: null);

        Assert.Equal(KvKey.Normalize(key), created.Key);
        Assert.Equal("slash", (await Store.GetAsync(KvKey.Normalize(key))).ValueAsString());
    }

    [SkippableFact]
    public async Task AtomicPutOnVanishedKeyIsModified()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/vanishing";
        await Store.PutAsync(key, Bytes("v"));
        var pair = await Store.GetAsync(key);
        await Store.DeleteAsync(key);

        await Assert.ThrowsAsync<KvKeyModifiedException>(() => Store.AtomicPutAsync(key, Bytes("w"), pair));
        Assert.False(await Store.ExistsAsync(key));
    }

    // ---- docker/libkv testAtomicDelete ----

    [SkippableFact]
    public async Task AtomicDeleteOnlyFromTheCurrentIndex()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/atomicdelete";
        await Store.PutAsync(key, Bytes("world"));
        var stale = await Store.GetAsync(key);
        await Store.PutAsync(key, Bytes("changed"));

        await Assert.ThrowsAsync<KvKeyModifiedException>(() => Store.AtomicDeleteAsync(key, stale));
        Assert.True(await Store.ExistsAsync(key));

        var current = await Store.GetAsync(key);
        await Store.AtomicDeleteAsync(key, current);
        Assert.False(await Store.ExistsAsync(key));

        await Assert.ThrowsAsync<KvKeyNotFoundException>(() => Store.AtomicDeleteAsync(key, current));
    }

    // ---- docker/libkv testPutTTL ----

    [SkippableFact]
    public async Task PutWithTtlExpires()
    {
        SkipIfUnsupported();
        var root = UniqueRoot();
        var ttlKey = $"{root}/ttl";
        var plainKey = $"{root}/plain";
        var ttl = MinimumTtl;

        await Store.PutAsync(ttlKey, Bytes("expires"), new KvWriteOptions(ttl));
        await Store.PutAsync(plainKey, Bytes("stays"));
        var written = Stopwatch.StartNew();

        Assert.Equal("expires", (await Store.GetAsync(ttlKey)).ValueAsString());

        await WaitUntilAsync(async () => !await Store.ExistsAsync(ttlKey), ttl * 3 + TimeSpan.FromSeconds(5), "the TTL key to expire");
        Assert.True(written.Elapsed >= ttl * 0.5, $"expired after {written.Elapsed}, long before its TTL {ttl}");
        Assert.True(await Store.ExistsAsync(plainKey));
    }

    // ---- docker/libkv testWatch ----

    [SkippableFact]
    public async Task WatchYieldsCurrentValueThenEveryChangeThenDeletion()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/watched";
        await Store.PutAsync(key, Bytes("initial"));
        using var cancel = new CancellationTokenSource(Patience * 2);
        await using var events = Store.WatchAsync(key, cancel.Token).GetAsyncEnumerator(cancel.Token);

        var first = await NextAsync(events);
        Assert.Equal(KvEventKind.Put, first.Kind);
        Assert.Equal("initial", first.Pair.ValueAsString());
        Assert.True(first.Pair.LastIndex > 0);

        var lastIndex = first.Pair.LastIndex;
        for (var i = 1; i <= 3; i++)
        {
            // Lock-step: each change is observed before the next is made, which every backend guarantees.
            await Store.PutAsync(key, Bytes($"change-{i}"));
            var change = await NextAsync(events);
            Assert.Equal(KvEventKind.Put, change.Kind);
            Assert.Equal($"change-{i}", change.Pair.ValueAsString());
            Assert.Equal(KvKey.Normalize(key), change.Pair.Key);
            Assert.True(change.Pair.LastIndex > lastIndex);
            lastIndex = change.Pair.LastIndex;
        }

        await Store.DeleteAsync(key);
        var deletion = await NextAsync(events);
        Assert.Equal(KvEventKind.Delete, deletion.Kind);
        Assert.Equal(KvKey.Normalize(key), deletion.Pair.Key);

        Assert.False(await events.MoveNextAsync().AsTask().WaitAsync(Patience), "a watch must end after the key's deletion");
    }

    [SkippableFact]
    public async Task WatchSeesTheLatestValueAfterRapidChanges()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/rapid";
        await Store.PutAsync(key, Bytes("0"));
        using var cancel = new CancellationTokenSource(Patience * 2);
        await using var events = Store.WatchAsync(key, cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.Equal("0", (await NextAsync(events)).Pair.ValueAsString());

        for (var i = 1; i <= 20; i++)
        {
            await Store.PutAsync(key, Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        // Some backends coalesce (ZooKeeper's one-shot watches); none may lose the final value.
        KvWatchEvent change;
        do
        {
            change = await NextAsync(events);
            Assert.Equal(KvEventKind.Put, change.Kind);
        }
        while (change.Pair.ValueAsString() != "20");
    }

    [SkippableFact]
    public async Task WatchOfMissingKeyFailsWithKeyNotFound()
    {
        SkipIfUnsupported();
        using var cancel = new CancellationTokenSource(Patience);
        await using var events = Store.WatchAsync($"{UniqueRoot()}/absent", cancel.Token).GetAsyncEnumerator(cancel.Token);

        await Assert.ThrowsAsync<KvKeyNotFoundException>(async () => await events.MoveNextAsync());
    }

    [SkippableFact]
    public async Task WatchEndsWhenCancelled()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/cancelled";
        await Store.PutAsync(key, Bytes("v"));
        using var cancel = new CancellationTokenSource();
        await using var events = Store.WatchAsync(key, cancel.Token).GetAsyncEnumerator(cancel.Token);
        await NextAsync(events);

        var pending = events.MoveNextAsync().AsTask();
        await cancel.CancelAsync();

        var ended = await Record.ExceptionAsync(() => pending.WaitAsync(Patience));
        Assert.True(ended is null or OperationCanceledException, $"unexpected {ended}");
    }

    // ---- docker/libkv testWatchTree ----

    [SkippableFact]
    public async Task WatchTreeYieldsFullSnapshots()
    {
        SkipIfUnsupported();
        var root = UniqueRoot();
        var dir = $"{root}/tree";
        await Store.PutAsync($"{dir}/existing", Bytes("e"));
        await Store.PutAsync($"{root}/treeX/sibling", Bytes("not in the tree"));
        using var cancel = new CancellationTokenSource(Patience * 2);
        await using var snapshots = Store.WatchTreeAsync(dir, cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.Equal([$"{dir}/existing"], Keys(await NextAsync(snapshots)));

        await Store.PutAsync($"{dir}/sub/added", Bytes("a"));
        Assert.Equal([$"{dir}/existing", $"{dir}/sub/added"], Keys(await NextUntilAsync(snapshots, s => s.Count == 2)));

        await Store.PutAsync($"{dir}/existing", Bytes("e2"));
        var updated = await NextUntilAsync(snapshots, s => s.Any(p => p.Key == $"{dir}/existing" && p.ValueAsString() == "e2"));
        Assert.Equal([$"{dir}/existing", $"{dir}/sub/added"], Keys(updated));

        await Store.DeleteAsync($"{dir}/existing");
        Assert.Equal([$"{dir}/sub/added"], Keys(await NextUntilAsync(snapshots, s => s.Count == 1)));

        await Store.DeleteTreeAsync(dir);
        Assert.Empty(await NextUntilAsync(snapshots, s => s.Count == 0));
    }

    [SkippableFact]
    public async Task WatchTreeOfEmptyDirectoryStartsEmpty()
    {
        SkipIfUnsupported();
        var dir = $"{UniqueRoot()}/empty";
        using var cancel = new CancellationTokenSource(Patience * 2);
        await using var snapshots = Store.WatchTreeAsync(dir, cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.Empty(await NextAsync(snapshots));

        await Store.PutAsync($"{dir}/first", Bytes("1"));
        var snapshot = await NextUntilAsync(snapshots, s => s.Count == 1);
        Assert.Equal("1", snapshot[0].ValueAsString());
    }

    // ---- docker/libkv testLockUnlock and testLockTTL ----

    [SkippableFact]
    public async Task LockIsMutuallyExclusive()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/lock";
        await using var other = KvStores.Open(Fixture.Config);
        await using var first = Store.NewLock(key, new KvLockOptions(Bytes("first").ToArray(), MinimumTtl));
        await using var second = other.NewLock(key, new KvLockOptions(Bytes("second").ToArray(), MinimumTtl));

        var held = await first.LockAsync().WaitAsync(Patience);
        Assert.False(held.IsCancellationRequested);

        using (var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(700)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.LockAsync(shortWait.Token));
        }

        var secondTurn = second.LockAsync();
        await Task.Delay(200);
        Assert.False(secondTurn.IsCompleted, "the second holder got the lock while the first still held it");

        await first.UnlockAsync();
        var secondHeld = await secondTurn.WaitAsync(Patience);
        Assert.False(secondHeld.IsCancellationRequested);

        await second.UnlockAsync();
        var again = await first.LockAsync().WaitAsync(Patience);
        Assert.False(again.IsCancellationRequested);
        await first.UnlockAsync();
        await first.UnlockAsync(); // unlocking what is not held does nothing
    }

    [SkippableFact]
    public async Task LockIsRenewedBeyondItsTtlUntilUnlocked()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/lockttl";
        var ttl = MinimumTtl;
        await using var other = KvStores.Open(Fixture.Config);
        await using var holder = Store.NewLock(key, new KvLockOptions(Ttl: ttl));
        await using var contender = other.NewLock(key, new KvLockOptions(Ttl: ttl));

        var held = await holder.LockAsync().WaitAsync(Patience);

        // Outlive the TTL: only renewal keeps the lock now.
        await Task.Delay(ttl * 1.5);
        Assert.False(held.IsCancellationRequested, "the lock was lost although its holder kept renewing it");
        using (var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(700)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => contender.LockAsync(shortWait.Token));
        }

        await holder.UnlockAsync();
        await contender.LockAsync().WaitAsync(Patience);
        await contender.UnlockAsync();
    }

    [SkippableFact]
    public async Task LockOfAClosedHolderIsReleased()
    {
        SkipIfUnsupported();
        var key = $"{UniqueRoot()}/lockclosed";
        var holderStore = KvStores.Open(Fixture.Config);
        var holder = holderStore.NewLock(key, new KvLockOptions(Ttl: MinimumTtl));
        await holder.LockAsync().WaitAsync(Patience);

        // The holder goes away without unlocking; its session/lease must not keep the lock forever.
        await holderStore.DisposeAsync();

        await using var contender = Store.NewLock(key, new KvLockOptions(Ttl: MinimumTtl));
        await contender.LockAsync().WaitAsync(MinimumTtl * 3 + Patience);
        await contender.UnlockAsync();
    }

    // ---- batches ----

    [SkippableFact]
    public async Task WriteBatchAppliesPutsAndDeletes()
    {
        SkipIfUnsupported();
        var root = UniqueRoot();
        await Store.PutAsync($"{root}/gone", Bytes("to delete"));
        var operations = Enumerable.Range(0, 300)
            .Select(i => KvOperation.Put($"{root}/batch/{i:D4}", Bytes($"value-{i}")))
            .Append(KvOperation.Delete($"{root}/gone"))
            .Append(KvOperation.Delete($"{root}/never-existed"))
            .ToList();

        await Store.WriteBatchAsync(operations);

        var listed = await Store.ListAsync($"{root}/batch");
        Assert.Equal(300, listed.Count);
        Assert.Equal("value-0", listed[0].ValueAsString());
        Assert.Equal("value-299", listed[299].ValueAsString());
        Assert.False(await Store.ExistsAsync($"{root}/gone"));
        Assert.False(await Store.ExistsAsync($"{root}/never-existed"));
    }

    [SkippableFact]
    public async Task WriteBatchKeepsTheLastWriteOfAKey()
    {
        SkipIfUnsupported();
        var root = UniqueRoot();

        await Store.WriteBatchAsync(
        [
            KvOperation.Put($"{root}/k", Bytes("first")),
            KvOperation.Put($"{root}/k", Bytes("second")),
            KvOperation.Put($"{root}/d", Bytes("put then deleted")),
            KvOperation.Delete($"{root}/d"),
        ]);

        Assert.Equal("second", (await Store.GetAsync($"{root}/k")).ValueAsString());
        Assert.False(await Store.ExistsAsync($"{root}/d"));
    }

    [SkippableFact]
    public async Task EmptyBatchIsANoOp()
    {
        SkipIfUnsupported();
        await Store.WriteBatchAsync([]);
    }

    // ---- unreachable ----

    [SkippableFact]
    public async Task UnreachableStoreFailsWithinTheConnectionTimeout()
    {
        SkipIfUnsupported();
        var timeout = TimeSpan.FromSeconds(1);
        var clock = Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(async () =>
        {
            await using var store = KvStores.Open(Fixture.UnreachableConfig(timeout));
            await store.GetAsync("any/key");
        }).WaitAsync(Patience);

        Assert.IsType<KvNotReachableException>(error);
        Assert.True(clock.Elapsed < timeout + TimeSpan.FromSeconds(2), $"took {clock.Elapsed} with a {timeout} timeout");
    }

    [SkippableFact]
    public async Task UnreachableStoreFailsEveryKindOfCall()
    {
        SkipIfUnsupported();
        await using var store = await OpenOrNullAsync(Fixture.UnreachableConfig(TimeSpan.FromSeconds(1)));
        if (store is null)
        {
            return; // Open itself reported the store unreachable, which the test above covers.
        }

        var calls = new Func<Task>[]
        {
            () => store.PutAsync("k", Bytes("v")),
            () => store.ListAsync("d"),
            () => store.ExistsAsync("k"),
            () => store.WriteBatchAsync([KvOperation.Put("k", Bytes("v"))]),
            () => store.AtomicPutAsync("k", Bytes("v"), null),
        };
        foreach (var call in calls)
        {
            var error = await Record.ExceptionAsync(call).WaitAsync(Patience);
            Assert.IsType<KvNotReachableException>(error);
        }
    }

    // ---- helpers ----

    /// <summary>A key root no other test (or earlier run against the same server) uses.</summary>
    protected static string UniqueRoot([CallerMemberName] string caseName = "") =>
        $"conformance/{caseName}-{Guid.NewGuid():N}";

    protected static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected void SkipIfUnsupported([CallerMemberName] string caseName = "")
    {
        var why = WhyUnsupported(caseName);
        Skip.If(why is not null, why);
    }

    private static string KeyParent(string key)
    {
        var normalized = KvKey.Normalize(key);
        return normalized[..normalized.LastIndexOf('/')];
    }

    private static IEnumerable<string> Keys(IReadOnlyList<KvPair> snapshot) => snapshot.Select(p => p.Key);

    private static async Task<T> NextAsync<T>(IAsyncEnumerator<T> enumerator)
    {
        Assert.True(await enumerator.MoveNextAsync().AsTask().WaitAsync(Patience), "the sequence ended early");
        return enumerator.Current;
    }

    /// <summary>Snapshots may arrive for intermediate states; wait for the one the test made.</summary>
    private static async Task<T> NextUntilAsync<T>(IAsyncEnumerator<T> enumerator, Func<T, bool> wanted)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Patience)
        {
            var next = await NextAsync(enumerator);
            if (wanted(next))
            {
                return next;
            }
        }

        throw new TimeoutException("the expected snapshot did not arrive");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < timeout, $"timed out after {timeout} waiting for {what}");
            await Task.Delay(200);
        }
    }

    private static async Task<IKvStore?> OpenOrNullAsync(KvStoreConfig config)
    {
        try
        {
            return KvStores.Open(config);
        }
        catch (KvNotReachableException)
        {
            return await Task.FromResult<IKvStore?>(null);
        }
    }
}
