using ContivKsr.TestSupport.FakeKube;
using k8s;
using k8s.Models;

namespace ContivKsr.FakeKube.Tests;

/// <summary>One fake API server per test (it starts in milliseconds, and tests assert on resourceVersions) and a real KubernetesClient on it.</summary>
public abstract class FakeKubeTestBase : IAsyncLifetime
{
    protected FakeKubeApiServer Server { get; private set; } = null!;

    protected Kubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await FakeKubeApiServer.StartAsync();
        Client = new Kubernetes(Server.ClientConfiguration);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    protected static V1Pod Pod(string ns, string name, IDictionary<string, string>? labels = null, string? podIp = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] },
        Status = podIp is null ? null : new V1PodStatus { PodIP = podIp },
    };

    protected static string PodJson(string ns, string name, string? label = null)
    {
        var labels = label is null ? "" : $$""","labels":{"app":"{{label}}"}""";
        return $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"{{{labels}}}},"spec":{"containers":[{"name":"main","image":"busybox"}]}}""";
    }

    /// <summary>Waits until the server has registered <paramref name="count"/> watches (a client's watch call returns before that).</summary>
    protected async Task WaitForWatchesAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Server.OpenWatchCount != count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"expected {count} open watches, the server has {Server.OpenWatchCount}");
            }

            await Task.Delay(10);
        }
    }
}
