using ContivKsr.Ksr.Config;
using ContivKsr.Ksr.Kinds;
using k8s;
using k8s.Models;

namespace ContivKsr.Ksr.Tests;

/// <summary>The manifests in deploy/ load with KubernetesClient's YAML loader and grant exactly what KSR uses.</summary>
public sealed class DeployManifestTests
{
    private static readonly string Manifest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "deploy", "contiv-ksr.yaml"));

    private static readonly List<object> Objects = KubernetesYaml.LoadAllFromString(Manifest);

    [Fact]
    public void EveryDocumentLoadsAsItsKind()
    {
        Assert.Equal(
            ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ConfigMap", "Deployment"],
            Objects.Select(o => ((IKubernetesObject)o).Kind));
        Assert.IsType<V1Deployment>(Objects[^1]);
    }

    [Fact]
    public void TheClusterRoleGrantsExactlyListAndWatchOnTheReflectedResources()
    {
        var role = Objects.OfType<V1ClusterRole>().Single();

        Assert.All(role.Rules, rule => Assert.Equal(["list", "watch"], rule.Verbs));
        var granted = role.Rules.SelectMany(rule => rule.Resources).Order(StringComparer.Ordinal);
        var reflected = ResourceKind.All.Select(kind => kind.Resource).Order(StringComparer.Ordinal);
        Assert.Equal(reflected, granted);
        Assert.Equal(["networkpolicies"], role.Rules.Single(r => r.ApiGroups.Contains("networking.k8s.io")).Resources);
    }

    [Fact]
    public void LeasesAreGrantedOnlyForLeaderElectionInTheDeploymentsNamespace()
    {
        var role = Objects.OfType<V1Role>().Single();
        var deployment = Objects.OfType<V1Deployment>().Single();

        Assert.Equal(deployment.Metadata.NamespaceProperty, role.Metadata.NamespaceProperty);
        var rule = Assert.Single(role.Rules);
        Assert.Equal(["coordination.k8s.io"], rule.ApiGroups);
        Assert.Equal(["leases"], rule.Resources);
        Assert.Equal(["get", "create", "update"], rule.Verbs);
        Assert.Contains("--leader-elect", deployment.Spec.Template.Spec.Containers[0].Args);
    }

    [Fact]
    public void TheConfigMapHoldsConfigsTheDaemonAccepts()
    {
        var config = Objects.OfType<V1ConfigMap>().Single();
        using var directory = new TestSupport.TempDirectory("ksr-deploy-");
        var warnings = new List<string>();
        foreach (var (name, content) in config.Data)
        {
            File.WriteAllText(Path.Combine(directory.Path, name), content);
        }

        Assert.Equal(["127.0.0.1:22379"], EtcdV3ConfigFile.Load(Path.Combine(directory.Path, "etcdv3.conf"), null, warnings.Add).Store.Endpoints);
        Assert.Equal(9191, HttpConfigFile.Load(Path.Combine(directory.Path, "http.conf"), warnings.Add).Port);
        Assert.Empty(warnings);

        var deployment = Objects.OfType<V1Deployment>().Single();
        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.Equal("contiv-ksr", deployment.Spec.Template.Spec.ServiceAccountName);
        Assert.Equal("/readiness", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/liveness", container.LivenessProbe.HttpGet.Path);
        Assert.Equal(config.Metadata.Name, deployment.Spec.Template.Spec.Volumes.Single().ConfigMap.Name);
    }
}
