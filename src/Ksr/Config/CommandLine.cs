namespace ContivKsr.Ksr.Config;

/// <summary>
/// Flags and their environment fallbacks, as the Go KSR took them (--etcdv3-config/ETCDV3_CONFIG,
/// --http-config/HTTP_CONFIG, --kube-config/KSR_CONFIG), plus this daemon's own options; the
/// flags themselves are <see cref="KsrCommand"/>, this resolves the files they name.
/// </summary>
public static class CommandLine
{
    public const string Usage = """
        usage: contiv-ksr [options]

          --etcdv3-config FILE    etcd client config (YAML: endpoints, dial-timeout, operation-timeout,
                                  insecure-transport, insecure-skip-tls-verify, cert-file, key-file,
                                  ca-file, leading-slash). Env ETCDV3_CONFIG. Default ./etcdv3.conf if
                                  present, else ETCDV3_ENDPOINTS or 127.0.0.1:2379. Keys are stored
                                  as /vnf-agent/contiv-ksr/... like the Go KSR's unless
                                  leading-slash: false.
          --store-config FILE     instead of etcd: any store (YAML: backend etcd|consul|zookeeper,
                                  endpoints, connection-timeout, operation-timeout, TLS files,
                                  username, password, token, leading-slash for etcd).
                                  Env KSR_STORE_CONFIG.
          --http-config FILE      REST endpoint (YAML: endpoint). Env HTTP_CONFIG. Default 0.0.0.0:9191.
          --kube-config FILE      kubeconfig. Env KSR_CONFIG or KUBE_CONFIG. Default
                                  /etc/kubernetes/admin.conf, else in-cluster when run in a pod.
          --key-layout L          nested (default; k8s/namespace/{ns}/pod/{pod}) or flat
                                  (k8s/pod/{pod}/namespace/{ns}). Env KSR_KEY_LAYOUT.
          --value-format F        json (default; proto3 JSON with .proto field names) or binary
                                  (protobuf). Env KSR_VALUE_FORMAT.
          --resources LIST        comma-separated subset of namespace,pod,policy,service,endpoints,node
                                  (default all). Env KSR_RESOURCES.
          --resync-interval D     periodic full resync (default 10m). Env KSR_RESYNC_INTERVAL.
          --log-level LEVEL       initial level of every logger: debug, info, warning, error, fatal,
                                  panic (default info). Env KSR_LOG_LEVEL.
          --leader-elect          only the holder of a coordination.k8s.io Lease writes. Env
                                  KSR_LEADER_ELECT=true.
          --lease-namespace NS    the Lease's namespace (default $POD_NAMESPACE, else kube-system).
          --lease-name NAME       the Lease's name (default contiv-ksr).
          --help                  this text.
        """;

    /// <summary>Whether the arguments ask for the usage text.</summary>
    public static bool WantsHelp(IEnumerable<string> args) => KsrCommand.WantsHelp(args);

    /// <exception cref="ConfigException">Unknown flag, missing value, or a bad or missing file.</exception>
    public static KsrSettings Parse(IReadOnlyList<string> args, Func<string, string?> environment, Func<bool> inCluster, string kubeDefaultPath = KubeConfigLoader.DefaultPath)
    {
        var command = new KsrCommand(environment);
        var flags = command.Parse(args);
        var warnings = new List<string>();
        var sources = new List<string>();

        StoreSettings store;
        if (flags.GetValue(command.StoreConfig) is { } storeConfig)
        {
            store = StoreConfigFile.Load(storeConfig, warnings.Add);
            sources.Add($"store: {storeConfig}");
        }
        else if (flags.GetValue(command.EtcdConfig) is { } etcdConfig)
        {
            store = EtcdV3ConfigFile.Load(etcdConfig, environment("ETCDV3_ENDPOINTS"), warnings.Add);
            sources.Add($"store: {etcdConfig}");
        }
        else if (File.Exists("etcdv3.conf"))
        {
            store = EtcdV3ConfigFile.Load("etcdv3.conf", environment("ETCDV3_ENDPOINTS"), warnings.Add);
            sources.Add("store: ./etcdv3.conf");
        }
        else
        {
            store = EtcdV3ConfigFile.Defaults(environment("ETCDV3_ENDPOINTS"));
            sources.Add("store: defaults (no etcdv3.conf)");
        }

        var httpConfig = flags.GetValue(command.HttpConfig) ?? (File.Exists("http.conf") ? "http.conf" : null);
        var httpEndpoint = httpConfig is null
            ? HttpConfigFile.ParseEndpoint(HttpConfigFile.DefaultEndpoint, "default")
            : HttpConfigFile.Load(httpConfig, warnings.Add);
        sources.Add($"http: {httpConfig ?? "default"}");

        var (kube, kubeSource) = KubeConfigLoader.Load(flags.GetValue(command.KubeConfig), kubeDefaultPath, inCluster);
        sources.Add($"kubernetes: {kubeSource}");

        return new KsrSettings
        {
            Store = store,
            Kube = kube,
            HttpEndpoint = httpEndpoint,
            KeyLayout = flags.GetValue(command.KeyLayout),
            ValueFormat = flags.GetValue(command.ValueFormat),
            Resources = flags.GetRequiredValue(command.Resources),
            ResyncInterval = flags.GetValue(command.ResyncInterval),
            LogLevel = flags.GetRequiredValue(command.LogLevel),
            LeaderElection = flags.GetValue(command.LeaderElect)
                ? new LeaderElectionSettings(
                    flags.GetValue(command.LeaseNamespace) ?? "kube-system",
                    flags.GetValue(command.LeaseName) ?? "contiv-ksr",
                    environment("POD_NAME") ?? Environment.MachineName)
                : null,
            Sources = sources,
            Warnings = warnings,
        };
    }
}
