namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// A kubeconfig (the file kubectl and KubernetesClient read) with one plain-HTTP cluster. KubernetesClient
/// refuses a user without credentials, so the user carries a fixed bearer token; the fake does not check it.
/// </summary>
internal static class KubeconfigWriter
{
    public const string ContextName = "fake-kube";

    public const string Token = "fake-kube-token-not-checked";

    public static string Write(string path, Uri server)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {ContextName}
              cluster:
                server: {server.GetLeftPart(UriPartial.Authority)}
            users:
            - name: {ContextName}
              user:
                token: {Token}
            contexts:
            - name: {ContextName}
              context:
                cluster: {ContextName}
                user: {ContextName}
                namespace: default
            current-context: {ContextName}
            preferences: {"{}"}

            """);
        return path;
    }
}
