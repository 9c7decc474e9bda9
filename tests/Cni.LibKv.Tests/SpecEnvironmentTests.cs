using ContivKsr.Cni.LibKv.Tests.Support;

namespace ContivKsr.Cni.LibKv.Tests;

/// <summary>The spec's environment rules, per verb, against the published binary: every problem is code 4.</summary>
[Collection(LibKvCollection.Name)]
public sealed class SpecEnvironmentTests(StoresFixture stores) : IDisposable
{
    private readonly LibKvHarness h = new(stores.Etcd);

    private static readonly (string Command, string Variable)[] Required =
    [
        ("ADD", "CNI_CONTAINERID"), ("ADD", "CNI_NETNS"), ("ADD", "CNI_IFNAME"), ("ADD", "CNI_PATH"),
        ("CHECK", "CNI_CONTAINERID"), ("CHECK", "CNI_NETNS"), ("CHECK", "CNI_IFNAME"), ("CHECK", "CNI_PATH"),
        ("DEL", "CNI_CONTAINERID"), ("DEL", "CNI_IFNAME"), ("DEL", "CNI_PATH"),
        ("GC", "CNI_PATH"),
    ];

    /// <summary>Every required variable of every verb, in every cniVersion that has the verb.</summary>
    public static TheoryData<string, string, string> RequiredVariables()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (command, variable) in Required)
        {
            foreach (var version in VersionsWith(command))
            {
                data.Add(command, variable, version);
            }
        }

        return data;
    }

    public static TheoryData<string> ContainerVerbs => new() { "ADD", "DEL", "CHECK" };

    public static TheoryData<string> AllButVersion => new() { "ADD", "DEL", "CHECK", "GC", "STATUS" };

    [Theory]
    [MemberData(nameof(RequiredVariables))]
    public async Task MissingRequiredVariableIsCode4(string command, string variable, string version)
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        var run = await h.RunAsync(command, h.Conf(version), env => env.Remove(variable));
        var error = run.AssertError(4);
        Assert.Contains(variable, (string)error["msg"]!, StringComparison.Ordinal);
        Assert.Empty(h.Delegates.Calls());
    }

    [Theory]
    [MemberData(nameof(RequiredVariables))]
    public async Task EmptyRequiredVariableIsCode4(string command, string variable, string version)
    {
        var run = await h.RunAsync(command, h.Conf(version), env => env[variable] = "");
        run.AssertError(4);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("add")]
    [InlineData("DELETE")]
    public async Task MissingOrUnknownCommandIsCode4(string? command)
    {
        var run = await h.RunAsync("ADD", env: env => env["CNI_COMMAND"] = command);
        run.AssertError(4);
    }

    [Theory]
    [InlineData("ADD", "bad/id")]
    [InlineData("ADD", "-starts-with-dash")]
    [InlineData("ADD", "has space")]
    [InlineData("DEL", "semi;colon")]
    [InlineData("CHECK", "ünicode")]
    public async Task InvalidContainerIdIsCode4(string command, string containerId)
    {
        var run = await h.RunAsync(command, env: env => env["CNI_CONTAINERID"] = containerId);
        run.AssertError(4);
    }

    [Theory]
    [InlineData("ADD", "sixteen-chars-xx")]
    [InlineData("ADD", "a/b")]
    [InlineData("DEL", "a:b")]
    [InlineData("CHECK", "..")]
    [InlineData("ADD", "eth 0")]
    public async Task InvalidInterfaceNameIsCode4(string command, string ifName)
    {
        var run = await h.RunAsync(command, env: env => env["CNI_IFNAME"] = ifName);
        run.AssertError(4);
    }

    [Theory]
    [MemberData(nameof(ContainerVerbs))]
    public async Task MalformedCniArgsIsCode4(string command)
    {
        var run = await h.RunAsync(command, env: env => env["CNI_ARGS"] = "K8S_POD_NAME=a;novalue");
        run.AssertError(4);
    }

    [Fact]
    public async Task DelWithoutNetnsIsAllowed()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        var run = await h.RunAsync("DEL", env: env => env.Remove("CNI_NETNS"));
        run.AssertEmptySuccess();
        Assert.False(Assert.Single(h.Delegates.Calls()).Environment.ContainsKey("CNI_NETNS"));
    }

    [Fact]
    public async Task IdentifierNamingAMissingCniArgIsCode4()
    {
        await h.PutArrayAsync("""[{"type":"rec"}]""");
        var conf = h.Conf();
        conf["identifier"] = "K8S_POD_UID";
        var run = await h.RunAsync("ADD", conf);
        run.AssertError(4);
        Assert.Empty(h.Delegates.Calls());
    }

    public static IEnumerable<string> VersionsWith(string command) => command switch
    {
        "GC" or "STATUS" => ["1.1.0"],
        "CHECK" => ["0.4.0", "1.0.0", "1.1.0"],
        _ => ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"],
    };

    public static string VersionFor(string command) => command is "GC" or "STATUS" ? "1.1.0" : "1.0.0";

    public void Dispose() => h.Dispose();
}
