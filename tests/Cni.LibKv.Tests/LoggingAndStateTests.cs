using System.Text.RegularExpressions;
using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>logFile/logLevel, and what libkv does with a state dir it cannot trust.</summary>
[Collection(LibKvCollection.Name)]
public sealed partial class LoggingAndStateTests(StoresFixture stores) : IDisposable
{
    private readonly LibKvHarness h = new(stores.Etcd);

    [Fact]
    public async Task LogFileGetsTimestampedLinesAtTheConfiguredLevel()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        var log = Path.Combine(h.StateDir, "libkv.log");
        var conf = h.Conf();
        conf["logFile"] = log;
        conf["logLevel"] = "debug";

        (await h.RunAsync("ADD", conf)).AssertSuccess();
        conf["logLevel"] = "error";
        (await h.RunAsync("DEL", conf)).AssertEmptySuccess();

        var lines = File.ReadAllLines(log);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(TimestampedLine(), line));
        Assert.Contains(lines, l => l.Contains("debug", StringComparison.Ordinal) && l.Contains("ADD", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("DEL delegate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DamagedStateIsCode5ForCheckAndSetAsideByDel()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        (await h.RunAsync("ADD")).AssertSuccess();
        var file = Assert.Single(h.StateFiles());
        File.WriteAllText(file, "{ half a state");

        var error = (await h.RunAsync("CHECK")).AssertError(5);
        Assert.Contains(file, (string)error["msg"]!, StringComparison.Ordinal);
        Assert.True(File.Exists(file));

        // DEL never fails for good on it (runtimes would retry for ever): the file goes aside for a
        // human and DEL undoes what the store describes.
        (await h.RunAsync("DEL")).AssertEmptySuccess();
        Assert.False(File.Exists(file));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + ".damaged-*"));
        Assert.Equal(["ADD rec eth0", "DEL rec eth0"], h.Delegates.Calls().Select(c => c.ToString()));
    }

    [Fact]
    public async Task UnwritableStateDirIsCode5BeforeAnyDelegateRuns()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        var conf = h.Conf();
        var blocker = Path.Combine(h.StateDir, "not-a-dir");
        File.WriteAllText(blocker, "");
        conf["stateDir"] = blocker;

        (await h.RunAsync("ADD", conf)).AssertError(5);

        Assert.Empty(h.Delegates.Calls());
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z libkv\[\d+\] (debug|info|warning|error) container=\S+: ")]
    private static partial Regex TimestampedLine();

    public void Dispose() => h.Dispose();
}
