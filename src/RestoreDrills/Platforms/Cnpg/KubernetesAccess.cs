using k8s;

namespace RestoreDrills.Platforms.Cnpg;

/// <summary>
/// Where the live drills find a cluster: the kubeconfig in RESTOREDRILLS_KUBECONFIG_DATA (a pipeline secret), or the
/// file of RESTOREDRILLS_KUBECONFIG (or KUBECONFIG), else the
/// pod's own service account when the runner runs inside the cluster. Null when there is neither.
/// </summary>
public static class KubernetesAccess
{
    public static KubernetesClientConfiguration? Detect(CnpgSettings settings, out string description)
    {
        if (settings.KubeconfigData is { } data)
        {
            description = "kubeconfig from RESTOREDRILLS_KUBECONFIG_DATA";
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(data));
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(stream);
        }
        if (settings.Kubeconfig is { } path)
        {
            var file = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists);
            if (file is null)
            {
                description = $"the kubeconfig {path} does not exist";
                return null;
            }
            description = $"kubeconfig {file}";
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(file);
        }
        if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 })
        {
            description = "in-cluster service account";
            return KubernetesClientConfiguration.InClusterConfig();
        }
        description = "no cluster: set RESTOREDRILLS_KUBECONFIG or KUBECONFIG, or run inside a pod";
        return null;
    }
}
