using ContivKsr.Ksr.Config;
using ContivKsr.Kv;
using ContivKsr.Kv.Etcd.Core;
using ContivKsr.TestSupport;

namespace ContivKsr.Ksr.Tests.Config;

public sealed class ConfigFileTests : IDisposable
{
    private readonly TempDirectory directory = new("ksr-config-");
    private readonly List<string> warnings = [];

    public void Dispose() => directory.Dispose();

    [Fact]
    public void TheShippedEtcdConfigPointsAtPort22379()
    {
        var settings = EtcdV3ConfigFile.Load(Path.Combine(AppContext.BaseDirectory, "conf", "etcdv3.conf"), null, warnings.Add);

        Assert.Equal(["127.0.0.1:22379"], settings.Store.Endpoints);
        Assert.Equal(KvBackend.Etcd, settings.Store.Backend);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Store.ConnectionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.OperationTimeout);
        Assert.Null(settings.Store.Tls);
        Assert.True(EtcdOptions.Of(settings.Store).LeadingSlash);
        Assert.Empty(warnings);
    }

    [Fact]
    public void EtcdKeysKeepTheGoKsrLeadingSlashUnlessTurnedOff()
    {
        Assert.True(EtcdOptions.Of(EtcdV3ConfigFile.Defaults(null).Store).LeadingSlash);
        Assert.True(EtcdOptions.Of(EtcdV3ConfigFile.Load(Write("endpoints: [h:1]\n"), null, warnings.Add).Store).LeadingSlash);
        Assert.False(EtcdOptions.Of(EtcdV3ConfigFile.Load(Write("endpoints: [h:1]\nleading-slash: false\n"), null, warnings.Add).Store).LeadingSlash);
        Assert.True(EtcdOptions.Of(StoreConfigFile.Load(Write("backend: etcd\nendpoints: [h:1]\n"), warnings.Add).Store).LeadingSlash);
        Assert.False(EtcdOptions.Of(StoreConfigFile.Load(Write("backend: etcd\nendpoints: [h:1]\nleading-slash: false\n"), warnings.Add).Store).LeadingSlash);
        Assert.False(EtcdOptions.Of(StoreConfigFile.Load(Write("backend: consul\nendpoints: [h:1]\n"), warnings.Add).Store).LeadingSlash);
        Assert.Empty(warnings);
    }

    [Fact]
    public void LeadingSlashOnAnotherBackendIsAClearError()
    {
        var error = Assert.Throws<ConfigException>(() => StoreConfigFile.Load(Write("backend: zookeeper\nendpoints: [h:1]\nleading-slash: true\n"), warnings.Add));

        Assert.Contains("'leading-slash' is for etcd only", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("250000000", 250)]
    [InlineData("2s", 2000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1500)]
    [InlineData("750ms", 750)]
    public void TimeoutsAreNanosecondsOrGoDurations(string value, int milliseconds)
    {
        var settings = EtcdV3ConfigFile.Load(Write($"endpoints: [\"h:1\"]\ndial-timeout: {value}\noperation-timeout: {value}\n"), null, warnings.Add);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), settings.Store.ConnectionTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), settings.OperationTimeout);
    }

    [Fact]
    public void TlsFilesTurnOnTlsUnlessTransportIsInsecure()
    {
        var tls = EtcdV3ConfigFile.Load(Write("endpoints:\n  - h:1\n  - h:2\ncert-file: /c.pem\nkey-file: /k.pem\nca-file: /ca.pem\n"), null, warnings.Add);
        var plain = EtcdV3ConfigFile.Load(Write("endpoints: [h:1]\ninsecure-transport: true\nca-file: /ca.pem\n"), null, warnings.Add);

        Assert.Equal(["h:1", "h:2"], tls.Store.Endpoints);
        Assert.Equal(new KvTlsConfig { CertFile = "/c.pem", KeyFile = "/k.pem", CaFile = "/ca.pem" }, tls.Store.Tls);
        Assert.Null(plain.Store.Tls);
    }

    [Fact]
    public void WithoutEndpointsTheEnvironmentOrLocalhostIsUsed()
    {
        Assert.Equal(["e1:2379", "e2:2379"], EtcdV3ConfigFile.Load(Write("dial-timeout: 1s\n"), "e1:2379,e2:2379", warnings.Add).Store.Endpoints);
        Assert.Equal(["127.0.0.1:2379"], EtcdV3ConfigFile.Defaults(null).Store.Endpoints);
    }

    [Fact]
    public void OptionsOfTheGoPluginThatAreNotUsedAreWarnedAbout()
    {
        EtcdV3ConfigFile.Load(Write("endpoints: [h:1]\nauto-sync-interval: 10s\n"), null, warnings.Add);

        Assert.Contains(warnings, w => w.Contains("auto-sync-interval", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("endpoints: [h:1\n", "not valid YAML")]
    [InlineData("- a\n- b\n", "must be a YAML mapping")]
    [InlineData("endpoints: [h:1]\ndial-timeout: soon\n", "'dial-timeout' must be a positive duration")]
    [InlineData("endpoints: [h:1]\ninsecure-transport: maybe\n", "'insecure-transport' must be true or false")]
    [InlineData("endpoints: []\n", "'endpoints' must list at least one")]
    [InlineData("endpoints: [h:1]\ncert-file: /c.pem\n", "'cert-file' and 'key-file' go together")]
    [InlineData("endpoints: [h:1]\nleading-slash: yes-please\n", "'leading-slash' must be true or false")]
    public void MalformedEtcdConfigIsAClearError(string content, string expected)
    {
        var path = Write(content);

        var error = Assert.Throws<ConfigException>(() => EtcdV3ConfigFile.Load(path, null, warnings.Add));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingConfigFileIsAClearError()
    {
        var error = Assert.Throws<ConfigException>(() => EtcdV3ConfigFile.Load(Path.Combine(directory.Path, "nope.conf"), null, warnings.Add));

        Assert.StartsWith("cannot read etcd configuration file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HttpConfigGivesTheRestEndpoint()
    {
        Assert.Equal("0.0.0.0:9191", HttpConfigFile.Load(Path.Combine(AppContext.BaseDirectory, "conf", "http.conf"), warnings.Add).ToString());
        Assert.Equal("127.0.0.1:9999", HttpConfigFile.Load(Write("endpoint: localhost:9999\n"), warnings.Add).ToString());
        Assert.Equal("0.0.0.0:9191", HttpConfigFile.Load(Write(""), warnings.Add).ToString());
        Assert.Throws<ConfigException>(() => HttpConfigFile.Load(Write("endpoint: nine-one-nine-one\n"), warnings.Add));
    }

    [Fact]
    public void StoreConfigSelectsAnyBackend()
    {
        var settings = StoreConfigFile.Load(Write("backend: zk\nendpoints: [127.0.0.1:2181]\nconnection-timeout: 5s\nusername: u\npassword: p\n"), warnings.Add);

        Assert.Equal(KvBackend.ZooKeeper, settings.Store.Backend);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Store.ConnectionTimeout);
        Assert.Equal("u", settings.Store.Username);
        var error = Assert.Throws<ConfigException>(() => StoreConfigFile.Load(Write("backend: redis\nendpoints: [h:1]\n"), warnings.Add));
        Assert.Contains("unknown store backend 'redis'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StoreConfigTakesEtcdV3AsEtcdAndRefusesEtcdV2()
    {
        var v3 = StoreConfigFile.Load(Write("backend: etcdv3\nendpoints: [127.0.0.1:2379]\n"), warnings.Add);
        var error = Assert.Throws<ConfigException>(() => StoreConfigFile.Load(Write("backend: etcdv2\nendpoints: [127.0.0.1:2379]\n"), warnings.Add));

        Assert.Equal(KvBackend.Etcd, v3.Store.Backend);
        Assert.True(EtcdOptions.Of(v3.Store).LeadingSlash);
        Assert.Contains("etcd's v3 API", error.Message, StringComparison.Ordinal);
    }

    private string Write(string content)
    {
        var path = Path.Combine(directory.Path, $"{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, content);
        return path;
    }
}
