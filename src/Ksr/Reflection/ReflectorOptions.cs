namespace ContivKsr.Ksr.Reflection;

/// <param name="WatchTimeoutSeconds">Server-side watch duration (plus up to half again of jitter), as client-go's reflector does; the watch resumes from the last version.</param>
/// <param name="InitialBackoff">First wait after a failed list or watch.</param>
/// <param name="MaxBackoff">Longest wait between retries.</param>
/// <param name="ListPageSize">Objects per list page (client-go's reflector uses 500).</param>
public sealed record ReflectorOptions(int WatchTimeoutSeconds, TimeSpan InitialBackoff, TimeSpan MaxBackoff, int ListPageSize = 500)
{
    public static ReflectorOptions Default { get; } = new(300, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
}
