using ContivKsr.Ksr.Config;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Store;
using ContivKsr.TestSupport;

namespace ContivKsr.Ksr.Tests.Config;

public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory directory = new("ksr-cli-");
    private readonly Dictionary<string, string> environment = [];
    private readonly string kubeconfig;

    public CommandLineTests()
    {
        kubeconfig = Path.Combine(directory.Path, "kubeconfig");
        File.WriteAllText(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: https://127.0.0.1:6443
                insecure-skip-tls-verify: true
            users:
            - name: test
              user:
                token: secret-token
            contexts:
            - name: test
              context:
                cluster: test
                user: test
            current-context: test
            """);
    }

    public void Dispose() => directory.Dispose();

    [Fact]
    public void FlagsOfTheGoKsrAndTheirEnvironmentFallbacks()
    {
        var etcd = Path.Combine(directory.Path, "etcd.conf");
        File.WriteAllText(etcd, "endpoints: [10.0.0.1:2379]\n");
        var http = Path.Combine(directory.Path, "http.conf");
        File.WriteAllText(http, "endpoint: 127.0.0.1:9300\n");

        var fromFlags = Parse("--etcdv3-config", etcd, "--http-config=" + http, "-kube-config", kubeconfig);
        environment["ETCDV3_CONFIG"] = etcd;
        environment["HTTP_CONFIG"] = http;
        environment["KSR_CONFIG"] = kubeconfig;
        var fromEnvironment = Parse();

        foreach (var settings in new[] { fromFlags, fromEnvironment })
        {
            Assert.Equal(["10.0.0.1:2379"], settings.Store.Store.Endpoints);
            Assert.Equal("127.0.0.1:9300", settings.HttpEndpoint.ToString());
            Assert.Equal("https://127.0.0.1:6443/", settings.Kube.Host.TrimEnd('/') + "/");
            Assert.Equal(KeyLayoutKind.Nested, settings.KeyLayout);
            Assert.Equal(ValueFormat.Json, settings.ValueFormat);
            Assert.Null(settings.LeaderElection);
        }
    }

    [Fact]
    public void KubeConfigAlsoComesFromKubeConfigVariable()
    {
        environment["KUBE_CONFIG"] = kubeconfig;

        Assert.Equal("secret-token", Parse().Kube.AccessToken);
    }

    [Fact]
    public void OwnOptions()
    {
        var settings = Parse("--kube-config", kubeconfig, "--key-layout", "flat", "--value-format", "binary",
            "--resources", "pod,namespace", "--resync-interval", "30s", "--log-level", "debug", "--leader-elect", "--lease-name", "ksr");

        Assert.Equal(KeyLayoutKind.Flat, settings.KeyLayout);
        Assert.Equal(ValueFormat.Binary, settings.ValueFormat);
        Assert.Equal(["namespace", "pod"], settings.Resources.Select(kind => kind.Name));
        Assert.Equal(TimeSpan.FromSeconds(30), settings.ResyncInterval);
        Assert.Equal("debug", settings.LogLevel);
        Assert.Equal("ksr", settings.LeaderElection?.LeaseName);
        Assert.Equal("kube-system", settings.LeaderElection?.LeaseNamespace);
    }

    [Theory]
    [InlineData("unknown argument '--etcd-config'", "--etcd-config", "x")]
    [InlineData("--http-config needs a value", "--http-config")]
    [InlineData("--key-layout 'deep' must be one of nested, flat", "--key-layout", "deep")]
    [InlineData("--resources 'pods'", "--resources", "pods")]
    [InlineData("--log-level 'verbose' must be one of", "--log-level", "verbose")]
    [InlineData("--resync-interval 'often'", "--resync-interval", "often")]
    [InlineData("--leader-elect takes true or false, not 'maybe'", "--leader-elect=maybe")]
    [InlineData("unknown argument 'stray' (see --help)", "stray")]
    [InlineData("cannot read etcd configuration file /nonexistent/etcd.conf", "--etcdv3-config", "/nonexistent/etcd.conf")]
    [InlineData("kubeconfig /nonexistent/kubeconfig does not exist", "--kube-config", "/nonexistent/kubeconfig")]
    public void BadArgumentsAreClearErrors(string expected, params string[] args)
    {
        var error = Assert.Throws<ConfigException>(() => Parse([.. args.Contains("--kube-config") ? Array.Empty<string>() : ["--kube-config", kubeconfig], .. args]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadValueFromTheEnvironmentIsTheSameClearError()
    {
        environment["KSR_KEY_LAYOUT"] = "deep";

        var error = Assert.Throws<ConfigException>(() => Parse("--kube-config", kubeconfig));

        Assert.Equal("--key-layout 'deep' must be one of nested, flat", error.Message);
    }

    [Fact]
    public void AFlagBeatsItsVariableTheLastOfARepeatedFlagWinsAndLeaderElectStaysOnOnceGiven()
    {
        environment["KSR_VALUE_FORMAT"] = "binary";

        var settings = Parse("--kube-config", kubeconfig, "--key-layout", "flat", "-key-layout=nested", "--value-format", "json", "--leader-elect", "--leader-elect=false");

        Assert.Equal(KeyLayoutKind.Nested, settings.KeyLayout);
        Assert.Equal(ValueFormat.Json, settings.ValueFormat);
        Assert.NotNull(settings.LeaderElection);
    }

    [Theory]
    [InlineData("--odd-name", "--http-config", "--odd-name")]
    [InlineData("", "--http-config=")]
    public void AFlagTakesTheNextWordWhateverItLooksLike(string expected, params string[] args)
    {
        var error = Assert.Throws<ConfigException>(() => Parse(["--kube-config", kubeconfig, .. args]));

        Assert.StartsWith($"cannot read HTTP configuration file {expected}: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "--help")]
    [InlineData(true, "-h")]
    [InlineData(true, "-help")]
    [InlineData(true, "--frobnicate", "-h")]
    [InlineData(false, "--http-config", "x")]
    public void HelpIsAskedForWithItsFlagsWhateverElseIsThere(bool expected, params string[] args) => Assert.Equal(expected, CommandLine.WantsHelp(args));

    [Fact]
    public void WithoutKubeconfigOutsideAPodItSaysWhatToDo()
    {
        var error = Assert.Throws<ConfigException>(() => CommandLine.Parse([], name => null, () => false, Path.Combine(directory.Path, "admin.conf")));

        Assert.Contains("no kubeconfig", error.Message, StringComparison.Ordinal);
        Assert.Contains("--kube-config", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultKubeconfigIsUsedWhenPresent()
    {
        var settings = CommandLine.Parse([], name => null, () => throw new InvalidOperationException("must not ask"), kubeconfig);

        Assert.Equal("secret-token", settings.Kube.AccessToken);
    }

    private KsrSettings Parse(params string[] args) =>
        CommandLine.Parse(args, name => environment.GetValueOrDefault(name), () => false, Path.Combine(directory.Path, "admin.conf"));
}
