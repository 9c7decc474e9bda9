using ContivKsr.Ksr.Kinds;
using Prometheus;

namespace ContivKsr.Ksr.Api;

/// <summary>
/// All statistics of one daemon instance, as Prometheus metrics in a registry of its own rather
/// than the process-wide one, so that tests can run several daemons; /stats reads the same metrics.
/// </summary>
public sealed class KsrStats
{
    public KsrStats(IEnumerable<ResourceKind> kinds, Func<bool> ready)
    {
        Registry = Metrics.NewCustomRegistry();
        var metrics = Metrics.WithCustomRegistry(Registry);
        Reflectors = kinds.ToDictionary(kind => kind.Name, kind => new ReflectorStats(kind.Name, metrics), StringComparer.Ordinal);
        Store = new StoreStats(metrics);
        var readiness = metrics.CreateGauge("contiv_ksr_ready", "1 once the initial sync is done and while the store is reachable, else 0.");
        Registry.AddBeforeCollectCallback(() => readiness.Set(ready() ? 1 : 0));
    }

    /// <summary>What /metrics exposes.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>By kind name ("pod").</summary>
    public IReadOnlyDictionary<string, ReflectorStats> Reflectors { get; }

    public StoreStats Store { get; }
}
