using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Cli.Tests;

/// <summary>Exit codes and messages for a store that cannot be reached and for bad command lines.</summary>
public sealed class KvctlErrorTests
{
    [Fact]
    public async Task UnreachableStoreIsExitOneWithinTheTimeout()
    {
        var result = await KvctlProcess.RunAsync(["--uri", $"127.0.0.1:{FreePort.Closed()}", "--timeout", "1", "get", "any/key"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("kvctl: etcd at 127.0.0.1:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("not reachable within 1 s", result.Stderr, StringComparison.Ordinal);
        // One second of timeout plus the process' start-up (slow on a loaded CI machine); far
        // below the 10 s default, so --timeout was honoured and nothing hung.
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Elapsed}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("frobnicate k")]
    [InlineData("get")]
    [InlineData("get a b")]
    [InlineData("put k")]
    [InlineData("--bogus get k")]
    [InlineData("--timeout soon get k")]
    [InlineData("--timeout -1 get k")]
    [InlineData("--backend redis get k")]
    [InlineData("--tree get k")]
    [InlineData("--ttl 5 get k")]
    [InlineData("get k --uri")]
    [InlineData("cas k v minus-one")]
    [InlineData("rmtree /")]
    [InlineData("--backend consul --etcd-leading-slash get k")]
    [InlineData("--etcd-leading-slash=yes get k")]
    [InlineData("--backend etcdv2 rmtree d")]
    [InlineData("--backend etcdv2 cas k v 0")]
    [InlineData("--backend etcdv2 watch k")]
    [InlineData("--backend etcdv2 watch --tree d")]
    [InlineData("--backend etcdv2 --etcd-leading-slash get k")]
    public async Task UsageErrorsAreExitTwoWithAShortUsage(string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = await KvctlProcess.RunAsync(["--uri", $"127.0.0.1:{FreePort.Closed()}", "--timeout", "1", .. args]);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("kvctl: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("usage: kvctl", lines[1], StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task BadStoreConfigurationIsExitTwo()
    {
        var result = await KvctlProcess.RunAsync(["--tls-ca", "/nonexistent/ca.pem", "get", "k"]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("kvctl: cannot load TLS CA file '/nonexistent/ca.pem'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpDescribesEveryVerbAndOption()
    {
        var result = await KvctlProcess.RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var word in new[] { "get KEY", "put KEY", "del KEY", "ls [DIR]", "rmtree DIR", "cas KEY", "watch KEY", "watch --tree", "--backend", "--uri", "--timeout", "--tls-ca", "--username", "--token", "--json", "exit status" })
        {
            Assert.Contains(word, result.StdoutText, StringComparison.Ordinal);
        }
    }
}
