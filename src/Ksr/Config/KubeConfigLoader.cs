using k8s;
using k8s.Exceptions;

namespace ContivKsr.Ksr.Config;

/// <summary>
/// Finds the API server's address and credentials: the given kubeconfig, else the default
/// /etc/kubernetes/admin.conf, else the in-cluster service account when running in a pod.
/// </summary>
public static class KubeConfigLoader
{
    public const string DefaultPath = "/etc/kubernetes/admin.conf";

    /// <param name="explicitPath">From --kube-config, KSR_CONFIG or KUBE_CONFIG; must exist when given.</param>
    /// <param name="defaultPath">The fallback file.</param>
    /// <param name="inCluster">Whether the process runs in a pod (service account token present).</param>
    public static (KubernetesClientConfiguration Config, string Source) Load(string? explicitPath, string defaultPath, Func<bool> inCluster)
    {
        if (explicitPath is not null)
        {
            return (FromFile(explicitPath), explicitPath);
        }

        if (File.Exists(defaultPath))
        {
            return (FromFile(defaultPath), defaultPath);
        }

        if (inCluster())
        {
            try
            {
                return (KubernetesClientConfiguration.InClusterConfig(), "in-cluster service account");
            }
            catch (KubeConfigException e)
            {
                throw new ConfigException($"in-cluster Kubernetes configuration is incomplete: {e.Message}", e);
            }
        }

        throw new ConfigException($"no kubeconfig: {defaultPath} does not exist and this is not a pod; pass --kube-config (or set KSR_CONFIG)");
    }

    private static KubernetesClientConfiguration FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException($"kubeconfig {path} does not exist");
        }

        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException)
        {
            throw new ConfigException($"kubeconfig {path} cannot be used: {e.Message}", e);
        }
    }
}
