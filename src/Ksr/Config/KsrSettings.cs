using System.Net;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Kinds;
using ContivKsr.Ksr.Reflection;
using ContivKsr.Ksr.Store;
using k8s;

namespace ContivKsr.Ksr.Config;

/// <summary>Everything the daemon runs with, resolved from flags, environment and files.</summary>
public sealed record KsrSettings
{
    public required StoreSettings Store { get; init; }

    public required KubernetesClientConfiguration Kube { get; init; }

    public IPEndPoint HttpEndpoint { get; init; } = IPEndPoint.Parse(HttpConfigFile.DefaultEndpoint);

    public KeyLayoutKind KeyLayout { get; init; } = KeyLayoutKind.Nested;

    public ValueFormat ValueFormat { get; init; } = ValueFormat.Json;

    /// <summary>The kinds to reflect, in the table's order; all of them by default.</summary>
    public IReadOnlyList<ResourceKind> Resources { get; init; } = ResourceKind.All;

    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan StoreProbeInterval { get; init; } = TimeSpan.FromSeconds(2);

    public string LogLevel { get; init; } = Api.LogLevelSwitches.DefaultLevel;

    public LeaderElectionSettings? LeaderElection { get; init; }

    public ReflectorOptions Reflector { get; init; } = ReflectorOptions.Default;

    /// <summary>Where each setting came from, logged at start.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Non-fatal remarks on the configuration (unused options), logged at start.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
