namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>conf/10-mylibkv.conf and conf/testcontainer.json: the seed README's files, byte for byte.</summary>
public static class SeedFiles
{
    /// <summary>The etcd address the seed's conf names; the only part a test may change.</summary>
    public const string SeedUri = "localhost:2379";

    public static string ConfPath => Path.Combine(RepositoryRoot.Path, "conf", "10-mylibkv.conf");

    public static string ArrayPath => Path.Combine(RepositoryRoot.Path, "conf", "testcontainer.json");

    public static string Array => File.ReadAllText(ArrayPath);

    /// <summary>The seed's libkv conf with only its etcd address replaced by <paramref name="uri"/>.</summary>
    public static string ConfPointingAt(string uri)
    {
        var conf = File.ReadAllText(ConfPath);
        Assert.Contains($"\"uri\": \"{SeedUri}\"", conf, StringComparison.Ordinal);
        return conf.Replace(SeedUri, uri, StringComparison.Ordinal);
    }
}
