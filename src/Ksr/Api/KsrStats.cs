namespace ContivKsr.Ksr.Api;

/// <summary>All statistics of one daemon instance (per instance, not global, so tests can run several).</summary>
public sealed class KsrStats(IEnumerable<string> reflectors)
{
    public IReadOnlyDictionary<string, ReflectorStats> Reflectors { get; } =
        reflectors.ToDictionary(name => name, name => new ReflectorStats(name), StringComparer.Ordinal);

    public StoreStats Store { get; } = new();
}
