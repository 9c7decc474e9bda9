using ContivKsr.Kv;
using ContivKsr.Kv.Stores;
using ContivKsr.TestSupport.Consul;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>The Consul emulator (no real Consul is installable here; see ConsulEmulator).</summary>
internal sealed class ConsulUnderTest(ConsulEmulator emulator) : IStoreUnderTest, IAsyncDisposable
{
    private readonly IKvStore store = KvStores.Open(emulator.Config());

    public string Backend => KvBackend.Consul;

    public string Uri => emulator.Endpoint;

    public IKvStore Store => store;

    public void Stop() => emulator.Stop();

    public Task StartAgainAsync() => emulator.StartAgainAsync();

    public async ValueTask DisposeAsync()
    {
        await store.DisposeAsync();
        await emulator.DisposeAsync();
    }
}
