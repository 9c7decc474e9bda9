using ContivKsr.Kv;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>A real store server libkv reads from in the tests, which a test may stop and start again.</summary>
public interface IStoreUnderTest
{
    /// <summary>The name libkv's config uses in storeBackend.</summary>
    string Backend { get; }

    /// <summary>libkv's config uri for this server.</summary>
    string Uri { get; }

    /// <summary>A client for the test to write the NetConf arrays with.</summary>
    IKvStore Store { get; }

    Task PutAsync(string key, string value) => Store.PutAsync(key, System.Text.Encoding.UTF8.GetBytes(value));

    Task DeleteAsync(string key) => Store.DeleteAsync(key);

    void Stop();

    Task StartAgainAsync();
}
