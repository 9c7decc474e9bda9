namespace ContivKsr.Ksr.Api;

/// <summary>A fixed-bucket latency histogram (Prometheus style: cumulative when read), lock-free.</summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds in milliseconds; the last bucket is +Inf.</summary>
    public static readonly double[] BoundsMilliseconds = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

    private readonly long[] counts = new long[BoundsMilliseconds.Length + 1];
    private long sumMicroseconds;

    public double SumMilliseconds => Interlocked.Read(ref sumMicroseconds) / 1000.0;

    public void Record(TimeSpan latency)
    {
        var milliseconds = latency.TotalMilliseconds;
        var bucket = Array.FindIndex(BoundsMilliseconds, bound => milliseconds <= bound);
        Interlocked.Increment(ref counts[bucket < 0 ? BoundsMilliseconds.Length : bucket]);
        Interlocked.Add(ref sumMicroseconds, (long)(milliseconds * 1000));
    }

    /// <summary>(upper bound in ms, or +Inf; observations at or below it), cumulative as Prometheus exposes them.</summary>
    public IReadOnlyList<(double UpperBound, long Count)> Cumulative()
    {
        var result = new List<(double, long)>(counts.Length);
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            total += Interlocked.Read(ref counts[i]);
            result.Add((i < BoundsMilliseconds.Length ? BoundsMilliseconds[i] : double.PositiveInfinity, total));
        }

        return result;
    }
}
