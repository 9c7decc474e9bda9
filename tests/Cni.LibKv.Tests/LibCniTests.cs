using System.Text.Json.Nodes;
using ContivKsr.Cni.LibKv.Tests.Support;
using ContivKsr.TestSupport;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>
/// libkv as a container runtime sees it: run through libcni (Debian's 1.1.2, see
/// <see cref="LibCniClient"/>) with the seed's array over the real reference plugins in a
/// namespace, in every version libcni 1.1.2 knows (0.1.0 to 1.0.0; it cannot read a 1.1.0 result).
/// </summary>
[Collection(LibKvCollection.Name)]
public sealed class LibCniTests(StoresFixture stores)
{
    /// <remarks>"none" is a config file without cniVersion, which libcni hands on as "" (0.1.0).</remarks>
    [Theory]
    [MemberData(nameof(ReferencePluginVersionTests.Versions), MemberType = typeof(ReferencePluginVersionTests))]
    public async Task AddCheckDelThroughLibcni(string version)
    {
        using var scenario = new BridgeScenario(stores.Etcd);
        using var files = new TempDirectory("libkv-libcni-");
        var libkvVersion = version == "none" ? null : version;
        var confFile = Path.Combine(files.Path, "10-libkv.conf");
        File.WriteAllText(confFile, scenario.Conf(libkvVersion).ToJsonString());
        await scenario.PutArrayAsync(scenario.SeedArray(cniVersion: null));

        var result = (await RunAsync(scenario, files.Path, "add", confFile)).AssertSuccess();

        ReferencePluginVersionTests.AssertMainResult(scenario, result, libkvVersion ?? "0.1.0");
        scenario.AssertSetUp();
        Assert.Single(CachedResults(files.Path));
        if (version is "0.4.0" or "1.0.0")
        {
            // libcni sends its cached copy of libkv's result as prevResult.
            (await RunAsync(scenario, files.Path, "check", confFile)).AssertEmptySuccess();
        }

        (await RunAsync(scenario, files.Path, "del", confFile)).AssertEmptySuccess();
        scenario.AssertNothingLeft();
        Assert.Empty(CachedResults(files.Path));
    }

    private static Task<CniRun> RunAsync(BridgeScenario scenario, string cacheDirectory, string verb, string confFile) =>
        CniRun.ExecAsync(LibCniClient.Path, new Dictionary<string, string?>
        {
            ["CNI_PATH"] = $"{LibKvBinary.Directory}:/usr/lib/cni",
            ["CNI_CONTAINERID"] = scenario.Harness.ContainerId,
            ["CNI_NETNS"] = scenario.Namespace.Path,
            ["CNI_IFNAME"] = "eth0",
            ["CNI_ARGS"] = "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=pod-a",
            ["LIBCNI_CACHE_DIR"] = cacheDirectory,
        }, stdin: null, arguments: [verb, confFile]);

    private static string[] CachedResults(string cacheDirectory)
    {
        var results = Path.Combine(cacheDirectory, "results");
        return Directory.Exists(results) ? Directory.GetFiles(results) : [];
    }
}

/// <summary>The golden conversions (TestData/ResultConversion) are libcni's own, wherever libcni 1.1.2 can say.</summary>
public sealed class LibCniConversionTests
{
    public static TheoryData<string, string> PairsLibcniKnows()
    {
        var data = new TheoryData<string, string>();
        foreach (var (from, to) in ConversionGoldens.Pairs().Where(p => KnownToLibcni(p.From) && KnownToLibcni(p.To)))
        {
            data.Add(from, to);
        }

        return data;
    }

    public static TheoryData<string> CasesLibcniAgreesWith => new(ConversionGoldens.Cases()
        .Where(c => c.LibcniDiffers is null && KnownToLibcni(c.From) && KnownToLibcni(c.To))
        .Select(c => c.Name));

    [Theory]
    [MemberData(nameof(PairsLibcniKnows))]
    public async Task LibcniConvertsEveryPairAsTheGoldenFileSays(string from, string to)
    {
        var (input, expected) = ConversionGoldens.Pair(from, to);
        var run = await ConvertAsync(input, from, to);
        Assert.Equal(expected, Normalized(run.AssertSuccess()));
    }

    [Theory]
    [MemberData(nameof(CasesLibcniAgreesWith))]
    public async Task LibcniConvertsOrRefusesEachCaseAsTheGoldenFileSays(string name)
    {
        var c = ConversionGoldens.Case(name);
        var run = await ConvertAsync(c.Input, c.From, c.To);
        if (c.Error is not null)
        {
            Assert.True(run.ExitCode != 0, $"libcni converted what libkv refuses: {run.Stdout}");
        }
        else
        {
            Assert.Equal(c.Expected, Normalized(run.AssertSuccess()));
        }
    }

    private static bool KnownToLibcni(string version) =>
        Cni.CniVersion.Compare(version, LibCniClient.NewestVersion) <= 0;

    private static Task<CniRun> ConvertAsync(string input, string from, string to) =>
        CniRun.ExecAsync(LibCniClient.Path, new Dictionary<string, string?>(), input, arguments: ["convert", from, to]);

    /// <summary>libcni prints an empty "dns":{} before 1.0.0 where libkv leaves it out; nothing else differs.</summary>
    private static string Normalized(JsonObject result)
    {
        if (result["dns"] is JsonObject { Count: 0 })
        {
            result.Remove("dns");
        }

        return result.ToJsonString();
    }
}
