using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>One real etcd for kvctl's etcd tests.</summary>
public sealed class EtcdKvctlFixture : KvctlFixture<EtcdServer>
{
    protected override string? BackendName => null;

    protected override Task<EtcdServer> StartServerAsync() => EtcdServer.StartAsync();

    // A fresh etcd elects itself leader before it takes writes; let that happen before any test.
    protected override async Task WhenReadyAsync(IKvStore store) => await store.PutAsync("kvctl-tests/ready", "yes"u8.ToArray());
}

[CollectionDefinition("kvctl-etcd")]
public sealed class EtcdKvctlCollection : ICollectionFixture<EtcdKvctlFixture>;

/// <summary>Every kvctl verb, run as a real process against a real etcd.</summary>
[Collection("kvctl-etcd")]
public sealed class EtcdKvctlTests(EtcdKvctlFixture fixture) : KvctlVerbTests(fixture);
