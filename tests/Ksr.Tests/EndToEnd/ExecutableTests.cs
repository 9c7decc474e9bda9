using System.Diagnostics;
using System.Net;
using ContivKsr.TestSupport;

namespace ContivKsr.Ksr.Tests.EndToEnd;

/// <summary>The real contiv-ksr executable, with its flags, config files and signals.</summary>
[Collection(EtcdCollection.Name)]
public sealed class ExecutableTests(EtcdFixture etcd) : IAsyncLifetime
{
    private readonly TempDirectory directory = new("ksr-exe-");
    private readonly HttpClient http = new();
    private KsrTestBed bed = null!;

    public async Task InitializeAsync() => bed = await KsrTestBed.StartAsync(etcd);

    public async Task DisposeAsync()
    {
        http.Dispose();
        await bed.DisposeAsync();
        directory.Dispose();
    }

    [Fact]
    public async Task ReflectsServesItsApiAndStopsCleanlyOnSigterm()
    {
        var etcdConfig = Write("etcdv3.conf", $"insecure-transport: true\ndial-timeout: 1000000000\nendpoints:\n  - \"{etcd.Server.Endpoint}\"\n");
        var port = FreePort.Next();
        var httpConfig = Write("http.conf", $"endpoint: 127.0.0.1:{port}\n");
        var kubeconfig = bed.Kube.WriteKubeconfig(Path.Combine(directory.Path, "kubeconfig"));
        bed.Kube.Apply(Objects.Namespace("shop"));
        bed.Kube.Apply(Objects.Pod("shop", "web-1", "10.1.1.5"));

        using var ksr = KsrProcess.Start("--etcdv3-config", etcdConfig, "--http-config", httpConfig, "--kube-config", kubeconfig);
        var api = new Uri($"http://127.0.0.1:{port}");
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync(new Uri(api, "/readiness"))).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the executable ready", TimeSpan.FromSeconds(30), () => Task.FromResult(ksr.Output));
        await bed.ConvergedAsync();

        Assert.DoesNotContain("web-2", ksr.Output, StringComparison.Ordinal);
        using (await http.PutAsync(new Uri(api, "/log/ksr-pod/debug"), null))
        {
        }

        bed.Kube.Apply(Objects.Pod("shop", "web-2", "10.1.1.6"));
        await bed.ConvergedAsync();
        await Eventually.TrueAsync(() => Task.FromResult(ksr.Output.Contains("web-2 added", StringComparison.Ordinal)), "debug line on stdout", explain: () => Task.FromResult(ksr.Output));

        Assert.Equal(0, await ksr.TerminateAsync());
    }

    [Theory]
    [InlineData("--etcdv3-config", "/nonexistent/etcdv3.conf", "cannot read etcd configuration file /nonexistent/etcdv3.conf")]
    [InlineData("--etcdv3-config", "MALFORMED", "is not valid YAML")]
    [InlineData("--kube-config", "/nonexistent/kubeconfig", "kubeconfig /nonexistent/kubeconfig does not exist")]
    [InlineData("--frobnicate", "1", "unknown argument '--frobnicate'")]
    public async Task BadConfigurationIsAClearErrorAndANonZeroExit(string flag, string value, string expected)
    {
        if (value == "MALFORMED")
        {
            value = Write("bad.conf", "endpoints: [unclosed\n");
        }

        var kubeconfig = bed.Kube.WriteKubeconfig(Path.Combine(directory.Path, "kubeconfig"));
        using var ksr = KsrProcess.Start("--kube-config", kubeconfig, flag, value);

        Assert.Equal(2, await ksr.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("contiv-ksr: ", ksr.Output, StringComparison.Ordinal);
        Assert.Contains(expected, ksr.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", ksr.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoreConfigurationThatCannotBeUsedStopsTheDaemonWithExitOne()
    {
        var storeConfig = Write("store.conf", $"backend: etcd\nendpoints: [\"{etcd.Server.Endpoint}\"]\nca-file: /nonexistent/ca.pem\n");
        var httpConfig = Write("http.conf", "endpoint: 127.0.0.1:0\n");
        var kubeconfig = bed.Kube.WriteKubeconfig(Path.Combine(directory.Path, "kubeconfig"));

        using var ksr = KsrProcess.Start("--store-config", storeConfig, "--http-config", httpConfig, "--kube-config", kubeconfig);

        Assert.Equal(1, await ksr.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("contiv-ksr: store configuration cannot be used: ", ksr.Output, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/ca.pem", ksr.Output, StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory.Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>contiv-ksr.dll from the test's output directory, run by the dotnet host.</summary>
    private static class KsrProcess
    {
        public static ServerProcess Start(params string[] args)
        {
            // Through the dotnet host explicitly, never Environment.ProcessPath: under an app host
            // that is not dotnet, and handing it contiv-ksr.dll would run the wrong program.
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetTempPath() };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "contiv-ksr.dll"));
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            foreach (var variable in new[] { "ETCDV3_CONFIG", "HTTP_CONFIG", "KSR_CONFIG", "KUBE_CONFIG", "KSR_STORE_CONFIG" })
            {
                start.Environment.Remove(variable);
            }

            return ServerProcess.Start(start);
        }
    }
}
