using System.Diagnostics;
using System.Net;
using System.Text;
using ContivKsr.TestSupport.Consul;

namespace ContivKsr.Kv.Tests.Consul;

/// <summary>
/// The emulator against Consul's documented KV HTTP API, over plain HTTP: if it drifted from Consul,
/// the backend tests passing on it would prove nothing.
/// </summary>
[Collection("consul")]
public sealed class ConsulEmulatorProtocolTests(ConsulFixture fixture) : IDisposable
{
    private readonly ConsulRawClient client = new(fixture.Server.Endpoint);
    private readonly string root = $"protocol/{Guid.NewGuid():N}";

    public void Dispose() => client.Dispose();

    [Fact]
    public async Task GetReturnsTheEntryWithBase64ValueAndIndexes()
    {
        Assert.Equal("true", (await client.PutAsync($"v1/kv/{root}/k?flags=42", "hello")).Body);

        var answer = await client.GetAsync($"v1/kv/{root}/k");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var entry = Assert.Single(answer.Json.EnumerateArray());
        Assert.Equal($"{root}/k", entry.GetProperty("Key").GetString());
        Assert.Equal("hello", Encoding.UTF8.GetString(Convert.FromBase64String(entry.GetProperty("Value").GetString()!)));
        Assert.Equal(42UL, entry.GetProperty("Flags").GetUInt64());
        var modifyIndex = entry.GetProperty("ModifyIndex").GetUInt64();
        Assert.Equal(entry.GetProperty("CreateIndex").GetUInt64(), modifyIndex);
        Assert.Equal(0UL, entry.GetProperty("LockIndex").GetUInt64());
        Assert.Equal(modifyIndex, answer.Index);
        Assert.Equal("hello", (await client.GetAsync($"v1/kv/{root}/k?raw")).Body);
    }

    [Fact]
    public async Task MissingKeyIs404WithAnIndex()
    {
        await client.PutAsync($"v1/kv/{root}/present", "x");

        var answer = await client.GetAsync($"v1/kv/{root}/absent");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("", answer.Body);
        Assert.NotNull(answer.Index);
        Assert.True(answer.Index >= 1);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"v1/kv/{root}/nothing/?recurse")).Status);
    }

    [Fact]
    public async Task IndexOnlyGrowsAcrossEveryKindOfWrite()
    {
        var seen = new List<ulong>();
        async Task Observe()
        {
            await client.PutAsync($"v1/kv/{root}/marker", "m");
            seen.Add((await client.GetAsync($"v1/kv/{root}/marker")).Index!.Value);
        }

        await Observe();
        await client.PutAsync($"v1/kv/{root}/a", "1");
        await Observe();
        await client.PutAsync($"v1/kv/{root}/a?cas=1", "stale cas"); // refused, yet a raft apply
        await Observe();
        await client.DeleteAsync($"v1/kv/{root}/a");
        await Observe();
        await client.DeleteAsync($"v1/kv/{root}/?recurse");
        await Observe();

        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] > seen[i - 1], $"index went from {seen[i - 1]} to {seen[i]}");
        }
    }

    [Fact]
    public async Task CasZeroCreatesOnlyAndCasIndexSwapsOnlyFromIt()
    {
        Assert.Equal("true", (await client.PutAsync($"v1/kv/{root}/c?cas=0", "first")).Body);
        Assert.Equal("false", (await client.PutAsync($"v1/kv/{root}/c?cas=0", "second")).Body);
        var index = (await client.GetAsync($"v1/kv/{root}/c")).Index!.Value;

        Assert.Equal("false", (await client.PutAsync($"v1/kv/{root}/c?cas={index - 1}", "stale")).Body);
        Assert.Equal("true", (await client.PutAsync($"v1/kv/{root}/c?cas={index}", "swapped")).Body);
        Assert.Equal("swapped", (await client.GetAsync($"v1/kv/{root}/c?raw")).Body);

        var current = (await client.GetAsync($"v1/kv/{root}/c")).Index!.Value;
        Assert.Equal("false", (await client.DeleteAsync($"v1/kv/{root}/c?cas={index}")).Body);
        Assert.Equal("true", (await client.DeleteAsync($"v1/kv/{root}/c?cas={current}")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"v1/kv/{root}/c")).Status);
    }

    [Fact]
    public async Task RecurseKeysAndSeparatorListByPlainPrefix()
    {
        foreach (var key in new[] { "dir/a", "dir/sub/b", "dir/sub/c", "dirX/d" })
        {
            await client.PutAsync($"v1/kv/{root}/{key}", key);
        }

        var recursed = (await client.GetAsync($"v1/kv/{root}/dir/?recurse")).Json.EnumerateArray().Select(e => e.GetProperty("Key").GetString());
        Assert.Equal([$"{root}/dir/a", $"{root}/dir/sub/b", $"{root}/dir/sub/c"], recursed);

        var keys = (await client.GetAsync($"v1/kv/{root}/dir?keys")).Json.EnumerateArray().Select(e => e.GetString());
        Assert.Equal([$"{root}/dir/a", $"{root}/dir/sub/b", $"{root}/dir/sub/c", $"{root}/dirX/d"], keys);

        var folders = (await client.GetAsync($"v1/kv/{root}/dir/?keys&separator=/")).Json.EnumerateArray().Select(e => e.GetString());
        Assert.Equal([$"{root}/dir/a", $"{root}/dir/sub/"], folders);
    }

    [Fact]
    public async Task BlockingQueryWakesOnChange()
    {
        await client.PutAsync($"v1/kv/{root}/w", "before");
        var index = (await client.GetAsync($"v1/kv/{root}/w")).Index!.Value;

        var blocked = client.GetAsync($"v1/kv/{root}/w?index={index}&wait=30s");
        await Task.Delay(300);
        Assert.False(blocked.IsCompleted, "a blocking query answered before anything changed");
        await client.PutAsync($"v1/kv/{root}/w", "after");

        var answer = await blocked.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(answer.Index > index);
        Assert.Equal("after", Encoding.UTF8.GetString(Convert.FromBase64String(answer.Json[0].GetProperty("Value").GetString()!)));
    }

    [Fact]
    public async Task BlockingQueryAnswersWhenTheWaitEndsWithTheSameIndex()
    {
        await client.PutAsync($"v1/kv/{root}/quiet", "q");
        var index = (await client.GetAsync($"v1/kv/{root}/quiet")).Index!.Value;
        var clock = Stopwatch.StartNew();

        var answer = await client.GetAsync($"v1/kv/{root}/quiet?index={index}&wait=400ms");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(index, answer.Index);
        // Consul adds up to wait/16 of jitter; never less than the wait.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(390), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task BlockingQueryOnPrefixWakesForKeysBelowIt()
    {
        await client.PutAsync($"v1/kv/{root}/tree/a", "a");
        var index = (await client.GetAsync($"v1/kv/{root}/tree/?recurse")).Index!.Value;

        var blocked = client.GetAsync($"v1/kv/{root}/tree/?recurse&index={index}&wait=30s");
        await client.PutAsync($"v1/kv/{root}/tree/b", "b");

        var answer = await blocked.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, answer.Json.GetArrayLength());
    }

    [Fact]
    public async Task SessionTtlBelowTenSecondsIsRefused()
    {
        var refused = await client.PutAsync("v1/session/create", """{"TTL": "5s"}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("Invalid Session TTL", refused.Body, StringComparison.Ordinal);

        var created = await client.PutAsync("v1/session/create", """{"TTL": "10s", "Behavior": "delete"}""");
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var id = created.Json.GetProperty("ID").GetString();
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"v1/session/renew/{id}")).Status);
        Assert.Equal("true", (await client.PutAsync($"v1/session/destroy/{id}")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync($"v1/session/renew/{id}")).Status);
        Assert.Equal(0, (await client.GetAsync($"v1/session/info/{id}")).Json.GetArrayLength());
    }

    [Fact]
    public async Task AcquireAndReleaseCountLockIndexAndExcludeOthers()
    {
        var first = (await client.PutAsync("v1/session/create", "{}")).Json.GetProperty("ID").GetString();
        var second = (await client.PutAsync("v1/session/create", "{}")).Json.GetProperty("ID").GetString();

        Assert.Equal("true", (await client.PutAsync($"v1/kv/{root}/lock?acquire={first}", "holder 1")).Body);
        Assert.Equal("false", (await client.PutAsync($"v1/kv/{root}/lock?acquire={second}", "holder 2")).Body);
        Assert.Equal("false", (await client.PutAsync($"v1/kv/{root}/lock?release={second}", "not the holder")).Body);
        var held = (await client.GetAsync($"v1/kv/{root}/lock")).Json[0];
        Assert.Equal(first, held.GetProperty("Session").GetString());
        Assert.Equal(1UL, held.GetProperty("LockIndex").GetUInt64());

        Assert.Equal("true", (await client.PutAsync($"v1/kv/{root}/lock?release={first}", "released")).Body);
        Assert.Equal("true", (await client.PutAsync($"v1/kv/{root}/lock?acquire={second}", "holder 2")).Body);
        Assert.Equal(2UL, (await client.GetAsync($"v1/kv/{root}/lock")).Json[0].GetProperty("LockIndex").GetUInt64());

        // Destroying a "release" session frees its keys but keeps them.
        await client.PutAsync($"v1/session/destroy/{second}");
        var freed = (await client.GetAsync($"v1/kv/{root}/lock")).Json[0];
        Assert.False(freed.TryGetProperty("Session", out _));
        await client.PutAsync($"v1/session/destroy/{first}");
    }

    [Fact]
    public async Task TransactionAppliesAtomicallyOrRollsBackWithEveryError()
    {
        await client.PutAsync($"v1/kv/{root}/t/existing", "e");
        string Op(string verb, string key, string? value = null, ulong? index = null)
        {
            var kv = new Dictionary<string, object> { ["Verb"] = verb, ["Key"] = $"{root}/{key}" };
            if (value is not null)
            {
                kv["Value"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
            }

            if (index is not null)
            {
                kv["Index"] = index.Value;
            }

            return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["KV"] = kv });
        }

        var failed = await client.PutAsync("v1/txn", $"[{Op("set", "t/new", "n")}, {Op("cas", "t/existing", "x", 1)}, {Op("get", "t/missing")}]");
        Assert.Equal(HttpStatusCode.Conflict, failed.Status);
        var errors = failed.Json.GetProperty("Errors").EnumerateArray().Select(e => e.GetProperty("OpIndex").GetInt32());
        Assert.Equal([1, 2], errors);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"v1/kv/{root}/t/new")).Status);

        var applied = await client.PutAsync("v1/txn", $"[{Op("set", "t/new", "n")}, {Op("delete-tree", "t/existing")}, {Op("get", "t/new")}]");
        Assert.Equal(HttpStatusCode.OK, applied.Status);
        var results = applied.Json.GetProperty("Results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal(JsonValueKindNull, results[0].GetProperty("KV").GetProperty("Value").ValueKind);
        Assert.Equal("n", Encoding.UTF8.GetString(Convert.FromBase64String(results[1].GetProperty("KV").GetProperty("Value").GetString()!)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"v1/kv/{root}/t/existing")).Status);
    }

    [Fact]
    public async Task TransactionOfMoreThan64OperationsIsRefused()
    {
        string Set(int i) => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["KV"] = new Dictionary<string, string> { ["Verb"] = "set", ["Key"] = $"{root}/many/{i}", ["Value"] = "eA==" },
        });

        var refused = await client.PutAsync("v1/txn", $"[{string.Join(',', Enumerable.Range(0, 65).Select(Set))}]");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.Status);
        Assert.Contains("too many operations (65 > 64)", refused.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"v1/kv/{root}/many/?recurse")).Status);

        var accepted = await client.PutAsync("v1/txn", $"[{string.Join(',', Enumerable.Range(0, 64).Select(Set))}]");
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal(64, (await client.GetAsync($"v1/kv/{root}/many/?recurse")).Json.GetArrayLength());
    }

    [Fact]
    public async Task RequiredTokenIsChecked()
    {
        await using var secured = await ConsulEmulator.StartAsync(o => o.RequiredToken = "s3cret");
        using var anonymous = new ConsulRawClient(secured.Endpoint);
        using var wrong = new ConsulRawClient(secured.Endpoint, "wrong");
        using var right = new ConsulRawClient(secured.Endpoint, "s3cret");

        var denied = await anonymous.PutAsync("v1/kv/k", "v");
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Equal("Permission denied", denied.Body);
        var unknown = await wrong.GetAsync("v1/kv/k");
        Assert.Equal(HttpStatusCode.Forbidden, unknown.Status);
        Assert.Equal("ACL not found", unknown.Body);
        Assert.Equal("true", (await right.PutAsync("v1/kv/k", "v")).Body);
    }

    [Fact]
    public async Task KeyWithLeadingSlashIsRefused()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync($"v1/kv//{root}/k", "v")).Status);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
