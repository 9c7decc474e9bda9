using System.Diagnostics;
using System.Net;
using ContivKsr.TestSupport.Consul;

namespace ContivKsr.Kv.Tests.Consul;

/// <summary>
/// Session TTL expiry in the emulator, which takes Consul's real 10 s minimum and 2×TTL grace: in its
/// own collection (and emulator) so that its wait overlaps the other Consul tests instead of adding to them.
/// </summary>
[Collection("consul-session-expiry")]
public sealed class ConsulEmulatorSessionExpiryTests
{
    [Fact]
    public async Task UnrenewedSessionsExpireAfterTheirTtlReleasingOrDeletingTheirKeys()
    {
        await using var emulator = await ConsulEmulator.StartAsync();
        using var client = new ConsulRawClient(emulator.Endpoint);
        var releasing = (await client.PutAsync("v1/session/create", """{"TTL": "10s", "Behavior": "release"}""")).Json.GetProperty("ID").GetString();
        var deleting = (await client.PutAsync("v1/session/create", """{"TTL": "10s", "Behavior": "delete"}""")).Json.GetProperty("ID").GetString();
        await client.PutAsync($"v1/kv/expiry/released?acquire={releasing}", "r");
        await client.PutAsync($"v1/kv/expiry/deleted?acquire={deleting}", "d");
        var heldIndex = (await client.GetAsync("v1/kv/expiry/released")).Index!.Value;
        var clock = Stopwatch.StartNew();

        // Never before the TTL (Consul's contract is a lower bound).
        await Task.Delay(TimeSpan.FromSeconds(9));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v1/kv/expiry/deleted")).Status);

        // By twice the TTL (Consul's SessionTTLMultiplier), both sessions are gone.
        while ((await client.GetAsync("v1/kv/expiry/deleted")).Status != HttpStatusCode.NotFound)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the delete-behaviour session did not expire");
            await Task.Delay(200);
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(10), $"expired after {clock.Elapsed}, before its TTL");
        await Task.Delay(500);
        var released = await client.GetAsync("v1/kv/expiry/released");
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.False(released.Json[0].TryGetProperty("Session", out _), "the release-behaviour session still holds its key");
        Assert.True(released.Index > heldIndex, "releasing a key must give it a new ModifyIndex");
        Assert.Empty(emulator.SessionIds);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync($"v1/session/renew/{releasing}")).Status);
    }
}
