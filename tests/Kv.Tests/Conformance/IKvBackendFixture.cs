using ContivKsr.Kv;

namespace ContivKsr.Kv.Tests.Conformance;

/// <summary>A backend under test: a real (or, for Consul, emulated) server started once per collection.</summary>
public interface IKvBackendFixture
{
    /// <summary>How to reach the running server.</summary>
    KvStoreConfig Config { get; }

    /// <summary>A store opened once on <see cref="Config"/>, shared by the collection's tests.</summary>
    IKvStore Store { get; }

    /// <summary>A config of this backend whose endpoint accepts no connection.</summary>
    KvStoreConfig UnreachableConfig(TimeSpan timeout);
}
