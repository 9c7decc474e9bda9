using ContivKsr.TestSupport;
using ContivKsr.TestSupport.Consul;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>One Consul emulator (no real Consul is installable here) for kvctl's Consul tests.</summary>
public sealed class ConsulKvctlFixture : KvctlFixture<ConsulEmulator>
{
    protected override string? BackendName => "consul";

    protected override Task<ConsulEmulator> StartServerAsync() => ConsulEmulator.StartAsync();
}

[CollectionDefinition("kvctl-consul")]
public sealed class ConsulKvctlCollection : ICollectionFixture<ConsulKvctlFixture>;

/// <summary>Every kvctl verb with --backend consul, run as a real process against the Consul emulator, and Consul's own cases.</summary>
[Collection("kvctl-consul")]
public sealed class ConsulKvctlTests(ConsulKvctlFixture fixture) : KvctlVerbTests(fixture)
{
    [Fact]
    public async Task TtlPutIsHeldByASessionAndShortTtlsAreRefused()
    {
        var key = Root() + "/ttl";

        var tooShort = await Kvctl("--ttl", "5", "put", key, "v");
        var put = await Kvctl("--ttl", "10", "put", key, "v");

        Assert.Equal(1, tooShort.ExitCode);
        Assert.Contains("session TTL must be between 10 s and 24 h", tooShort.Stderr, StringComparison.Ordinal);
        Assert.Single(Lines(tooShort.Stderr));
        Assert.Equal(0, put.ExitCode);
        Assert.Equal("v", (await Store.GetAsync(key)).ValueAsString());
        Assert.NotEmpty(fixture.Server.SessionIds);
    }

    [Fact]
    public async Task TokenIsPassedAndARefusalIsExitOne()
    {
        await using var secured = await ConsulEmulator.StartAsync(o => o.RequiredToken = "s3cret");
        string[] Args(params string[] args) => ["--backend", "consul", "--uri", secured.Endpoint, "--timeout", "5", .. args];

        var withToken = await KvctlProcess.RunAsync(Args("--token", "s3cret", "put", "acl/key", "v"));
        var withoutToken = await KvctlProcess.RunAsync(Args("get", "acl/key"));

        Assert.Equal(0, withToken.ExitCode);
        Assert.Equal(1, withoutToken.ExitCode);
        Assert.Contains("Permission denied", withoutToken.Stderr, StringComparison.Ordinal);
        Assert.Single(Lines(withoutToken.Stderr));
    }

    [Fact]
    public async Task UnreachableConsulIsExitOneWithinTheTimeout()
    {
        var result = await KvctlProcess.RunAsync(["--backend", "consul", "--uri", $"127.0.0.1:{FreePort.Closed()}", "--timeout", "1", "get", "any/key"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("kvctl: consul at 127.0.0.1:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("not reachable within 1 s", result.Stderr, StringComparison.Ordinal);
        Assert.Single(Lines(result.Stderr));
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Elapsed}");
    }
}
