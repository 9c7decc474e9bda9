using ContivKsr.TestSupport;
using k8s;

namespace ContivKsr.FakeKube.Tests;

public sealed class ClientSetupTests : FakeKubeTestBase
{
    [Fact]
    public async Task The_written_kubeconfig_points_KubernetesClient_at_the_fake()
    {
        using var directory = new TempDirectory("fakekube-");
        Server.Apply(Pod("default", "a"));

        var path = Server.WriteKubeconfig(Path.Combine(directory.Path, "nested", "admin.conf"));
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        using var client = new Kubernetes(config);

        Assert.Equal(Server.BaseUri, new Uri(config.Host));
        Assert.Equal("default", config.Namespace);
        Assert.Equal("a", Assert.Single((await client.CoreV1.ListPodForAllNamespacesAsync()).Items).Metadata.Name);
    }

    [Fact]
    public async Task Discovery_answers_version_and_api_groups()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseUri };

        var version = await Client.Version.GetCodeAsync();
        var groups = await Client.Apis.GetAPIVersionsAsync();
        var core = await Client.CoreV1.GetAPIResourcesAsync();
        var api = await http.GetStringAsync("/api");

        Assert.Equal("1", version.Major);
        Assert.Equal(["coordination.k8s.io", "networking.k8s.io"], groups.Groups.Select(g => g.Name).Order());
        Assert.Equal(["endpoints", "namespaces", "nodes", "pods", "services"], core.Resources.Select(r => r.Name).Order());
        Assert.Contains("\"versions\":[\"v1\"]", api);
    }

    [Fact]
    public void The_server_listens_on_loopback_only()
    {
        Assert.Equal("127.0.0.1", Server.BaseUri.Host);
        Assert.Equal("http", Server.BaseUri.Scheme);
    }
}
