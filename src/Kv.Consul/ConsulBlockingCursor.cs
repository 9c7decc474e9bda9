namespace ContivKsr.Kv.Consul;

/// <summary>
/// The index a blocking-query loop waits on, kept by the rules of Consul's "Blocking Queries"
/// documentation: an index that goes backwards (snapshot restore, a rebuilt cluster, a list whose
/// newest key was deleted) resets the loop to 0 so that the next query re-reads at once; an index
/// below 1 after a response is raised to 1 so the next query really blocks. The loop is also
/// rate-limited (a token bucket with a burst of <see cref="Burst"/>) so a key that churns degrades
/// into polling instead of a busy loop, while quiet keys are delivered without delay.
/// </summary>
internal sealed class ConsulBlockingCursor(ulong initialIndex, TimeProvider? time = null)
{
    public const int Burst = 3;

    /// <summary>Once the burst is spent, at most one query per this interval.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private double tokens = Burst;
    private long lastRefill = (time ?? TimeProvider.System).GetTimestamp();

    /// <summary>The index to send as ?index= (0 means "answer at once").</summary>
    public ulong Index { get; private set; } = initialIndex;

    /// <summary>True when the last <see cref="Advance"/> saw the index go backwards.</summary>
    public bool WasReset { get; private set; }

    /// <summary>Takes the X-Consul-Index of an answer.</summary>
    public void Advance(ulong answeredIndex)
    {
        WasReset = answeredIndex < Index;
        Index = WasReset ? 0 : Math.Max(answeredIndex, 1);
    }

    /// <summary>Waits, if needed, before the next query.</summary>
    public async Task PaceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        tokens = Math.Min(Burst, tokens + (clock.GetElapsedTime(lastRefill, now) / MinimumInterval));
        lastRefill = now;
        if (tokens < 1)
        {
            await Task.Delay(MinimumInterval * (1 - tokens), clock, cancellationToken).ConfigureAwait(false);
            tokens = 1;
            lastRefill = clock.GetTimestamp();
        }

        tokens -= 1;
    }
}
