namespace ContivKsr.Ksr.Store;

/// <summary>Exponential backoff with jitter, for retrying the store and the API server.</summary>
public sealed class Backoff
{
    private readonly TimeSpan initial;
    private readonly TimeSpan maximum;
    private TimeSpan next;

    public Backoff(TimeSpan initial, TimeSpan maximum)
    {
        this.initial = initial;
        this.maximum = maximum;
        next = initial;
    }

    public TimeSpan Next()
    {
        var current = next;
        next = TimeSpan.FromTicks(Math.Min(maximum.Ticks, next.Ticks * 2));
        // Up to 20 % jitter so that replicas and reflectors do not retry in lockstep.
        return current + TimeSpan.FromTicks((long)(current.Ticks * 0.2 * Random.Shared.NextDouble()));
    }

    public void Reset() => next = initial;
}
