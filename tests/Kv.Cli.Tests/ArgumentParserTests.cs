namespace ContivKsr.Kv.Cli.Tests;

/// <summary>Command-line parsing, in process (the process tests cover exit codes and output).</summary>
public sealed class ArgumentParserTests
{
    [Fact]
    public void DefaultsAreLocalEtcdWithTenSeconds()
    {
        var command = ArgumentParser.Parse(["get", "k"]);

        Assert.Equal(KvBackend.Etcd, command.Store.Backend);
        Assert.Equal(["127.0.0.1:2379"], command.Store.Endpoints);
        Assert.Equal(TimeSpan.FromSeconds(10), command.Store.ConnectionTimeout);
        Assert.Null(command.Store.Tls);
        Assert.False(command.Json);
    }

    [Fact]
    public void OptionsMayFollowTheVerbAndTakeEqualsValues()
    {
        var command = ArgumentParser.Parse(["watch", "dir", "--tree", "--uri=h1:1,h2:2", "--timeout", "2.5", "--json", "--backend", "zk"]);

        Assert.Equal("watch", command.Verb);
        Assert.Equal(["dir"], command.Arguments);
        Assert.True(command.Tree);
        Assert.True(command.Json);
        Assert.Equal(KvBackend.ZooKeeper, command.Store.Backend);
        Assert.Equal(["h1:1", "h2:2"], command.Store.Endpoints);
        Assert.Equal(TimeSpan.FromSeconds(2.5), command.Store.ConnectionTimeout);
    }

    [Fact]
    public void EachBackendDefaultsToItsLocalPort()
    {
        Assert.Equal(["127.0.0.1:8500"], ArgumentParser.Parse(["--backend", "consul", "ls"]).Store.Endpoints);
        Assert.Equal(["127.0.0.1:2181"], ArgumentParser.Parse(["--backend", "zookeeper", "ls"]).Store.Endpoints);
    }

    [Theory]
    [InlineData("etcd", KvBackend.Etcd)]
    [InlineData("ETCDv3", KvBackend.EtcdV3)]
    [InlineData("etcdv2", KvBackend.EtcdV2)]
    public void EachEtcdNameIsItsOwnBackendOnEtcdsPort(string name, string canonical)
    {
        var command = ArgumentParser.Parse(["--backend", name, "get", "k"]);

        Assert.Equal(canonical, command.Store.Backend);
        Assert.Equal(["127.0.0.1:2379"], command.Store.Endpoints);
    }

    [Theory]
    [InlineData("get", "k")]
    [InlineData("put", "k", "v")]
    [InlineData("del", "k")]
    [InlineData("ls")]
    public void EtcdV2OffersGetPutDelAndLs(params string[] verb)
    {
        Assert.Equal(verb[0], ArgumentParser.Parse(["--backend", "etcdv2", .. verb]).Verb);
    }

    [Fact]
    public void DoubleDashLetsAValueStartWithDashes()
    {
        var command = ArgumentParser.Parse(["put", "--", "k", "--not-an-option"]);

        Assert.Equal(["k", "--not-an-option"], command.Arguments);
    }

    [Fact]
    public void TlsCredentialsAndTtlReachTheConfig()
    {
        var command = ArgumentParser.Parse(["--tls-ca", "ca.pem", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--username", "u", "--password", "p", "--token", "t", "--ttl", "30", "put", "k", "v"]);

        Assert.Equal(new KvTlsConfig { CaFile = "ca.pem", CertFile = "c.pem", KeyFile = "k.pem" }, command.Store.Tls);
        Assert.Equal(("u", "p", "t"), (command.Store.Username, command.Store.Password, command.Store.Token));
        Assert.Equal(TimeSpan.FromSeconds(30), command.Ttl);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void HelpNeedsNoVerb(string arg)
    {
        Assert.True(ArgumentParser.Parse([arg]).Help);
    }

    [Fact]
    public void AnOptionsValueAndTheVerbsWordsAreTakenAsTheyAre()
    {
        var command = ArgumentParser.Parse(["--password", "--json=x", "--username=", "put", "@conf/x.json", "-h=1"]);

        Assert.Equal("--json=x", command.Store.Password);
        Assert.Equal("", command.Store.Username);
        Assert.False(command.Json);
        Assert.Equal(["@conf/x.json", "-h=1"], command.Arguments);
        Assert.Equal(["[x]", "k"], ArgumentParser.Parse(["cas", "--", "[x]", "k", "0"]).Arguments.Take(2));
    }

    [Theory]
    [InlineData("unknown option --uri:h:1", "--uri:h:1", "get", "k")]
    [InlineData("unknown command '[diagram]'", "[diagram]", "get", "k")]
    [InlineData("--uri needs a value", "get", "k", "--uri")]
    [InlineData("unknown option --bogus", "--bogus=1", "--json=1")]
    [InlineData("--json takes no value", "--json=1", "--bogus=1")]
    public void UsageErrorsSayWhatIsWrong(string expected, params string[] args)
    {
        var error = Assert.Throws<UsageException>(() => ArgumentParser.Parse(args));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void AFlagWithAValueIsAUsageError()
    {
        Assert.Throws<UsageException>(() => ArgumentParser.Parse(["--json=yes", "get", "k"]));
    }
}
