using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Kinds;
using ContivKsr.Ksr.Store;
using k8s;

namespace ContivKsr.Ksr.Config;

/// <summary>
/// Flags and their environment fallbacks, as the Go KSR took them (--etcdv3-config/ETCDV3_CONFIG,
/// --http-config/HTTP_CONFIG, --kube-config/KSR_CONFIG), plus this daemon's own options.
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

    private static readonly string[] ValueFlags =
    [
        "--etcdv3-config", "--store-config", "--http-config", "--kube-config", "--key-layout", "--value-format",
        "--resources", "--resync-interval", "--log-level", "--lease-namespace", "--lease-name",
    ];

    /// <summary>Whether the arguments ask for the usage text.</summary>
    public static bool WantsHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-help");

    /// <exception cref="ConfigException">Unknown flag, missing value, or a bad or missing file.</exception>
    public static KsrSettings Parse(IReadOnlyList<string> args, Func<string, string?> environment, Func<bool> inCluster, string kubeDefaultPath = KubeConfigLoader.DefaultPath)
    {
        var flags = ReadFlags(args);
        string? Option(string flag, params string[] variables)
        {
            if (flags.TryGetValue(flag, out var value))
            {
                return value;
            }

            return variables.Select(environment).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        }

        var warnings = new List<string>();
        var sources = new List<string>();

        StoreSettings store;
        if (Option("--store-config", "KSR_STORE_CONFIG") is { } storeConfig)
        {
            store = StoreConfigFile.Load(storeConfig, warnings.Add);
            sources.Add($"store: {storeConfig}");
        }
        else if (Option("--etcdv3-config", "ETCDV3_CONFIG") is { } etcdConfig)
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

        var httpConfig = Option("--http-config", "HTTP_CONFIG") ?? (File.Exists("http.conf") ? "http.conf" : null);
        var httpEndpoint = httpConfig is null
            ? HttpConfigFile.ParseEndpoint(HttpConfigFile.DefaultEndpoint, "default")
            : HttpConfigFile.Load(httpConfig, warnings.Add);
        sources.Add($"http: {httpConfig ?? "default"}");

        var (kube, kubeSource) = KubeConfigLoader.Load(Option("--kube-config", "KSR_CONFIG", "KUBE_CONFIG"), kubeDefaultPath, inCluster);
        sources.Add($"kubernetes: {kubeSource}");

        var resyncText = Option("--resync-interval", "KSR_RESYNC_INTERVAL");
        var resync = TimeSpan.FromMinutes(10);
        if (resyncText is not null && (!ConfigDuration.TryParse(resyncText, out resync) || resync <= TimeSpan.Zero))
        {
            throw new ConfigException($"--resync-interval '{resyncText}' must be a positive duration such as 10m or 30s");
        }

        var logLevel = Option("--log-level", "KSR_LOG_LEVEL") ?? LogLevelSwitches.DefaultLevel;
        if (!LogLevelSwitches.IsKnownLevel(logLevel))
        {
            throw new ConfigException($"--log-level '{logLevel}' must be one of {string.Join(", ", LogLevelSwitches.LevelNames)}");
        }

        var leaderElect = flags.ContainsKey("--leader-elect")
            || string.Equals(environment("KSR_LEADER_ELECT"), "true", StringComparison.OrdinalIgnoreCase);
        return new KsrSettings
        {
            Store = store,
            Kube = kube,
            HttpEndpoint = httpEndpoint,
            KeyLayout = Choice(Option("--key-layout", "KSR_KEY_LAYOUT"), "--key-layout", KeyLayoutKind.Nested),
            ValueFormat = Choice(Option("--value-format", "KSR_VALUE_FORMAT"), "--value-format", ValueFormat.Json),
            Resources = Resources(Option("--resources", "KSR_RESOURCES")),
            ResyncInterval = resync,
            LogLevel = logLevel,
            LeaderElection = leaderElect
                ? new LeaderElectionSettings(
                    Option("--lease-namespace", "POD_NAMESPACE") ?? "kube-system",
                    Option("--lease-name") ?? "contiv-ksr",
                    environment("POD_NAME") ?? Environment.MachineName)
                : null,
            Sources = sources,
            Warnings = warnings,
        };
    }

    private static Dictionary<string, string> ReadFlags(IReadOnlyList<string> args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            // Go's flag package accepts -flag as well as --flag, and --flag=value.
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg : arg.StartsWith('-') ? "-" + arg : arg;
            string? inline = null;
            if (name.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }

            if (name == "--leader-elect")
            {
                if (inline is not null && !bool.TryParse(inline, out _))
                {
                    throw new ConfigException($"--leader-elect takes true or false, not '{inline}'");
                }

                if (inline is null || bool.Parse(inline))
                {
                    flags[name] = "true";
                }

                continue;
            }

            if (!ValueFlags.Contains(name))
            {
                throw new ConfigException($"unknown argument '{arg}' (see --help)");
            }

            if (inline is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new ConfigException($"{name} needs a value");
                }

                inline = args[++i];
            }

            flags[name] = inline;
        }

        return flags;
    }

    private static T Choice<T>(string? text, string flag, T fallback)
        where T : struct, Enum
    {
        if (text is null)
        {
            return fallback;
        }

        return Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new ConfigException($"{flag} '{text}' must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
    }

    private static IReadOnlyList<ResourceKind> Resources(string? text)
    {
        if (text is null)
        {
            return ResourceKind.All;
        }

        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant())
            .ToList();
        if (names.Count == 0 || names.Any(name => ResourceKind.Find(name) is null))
        {
            throw new ConfigException($"--resources '{text}': expected a comma-separated subset of {string.Join(",", ResourceKind.All)}");
        }

        // Keep the table's order whatever order they were given in.
        return [.. ResourceKind.All.Where(kind => names.Contains(kind.Name))];
    }
}
