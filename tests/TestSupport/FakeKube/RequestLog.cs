using System.Collections.Concurrent;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>"METHOD /path?query" of every request, oldest first, capped so a long benchmark cannot grow it without bound.</summary>
internal sealed class RequestLog
{
    public const int Capacity = 100_000;

    private readonly ConcurrentQueue<string> lines = new();

    public void Add(string line)
    {
        lines.Enqueue(line);
        while (lines.Count > Capacity)
        {
            lines.TryDequeue(out _);
        }
    }

    public IReadOnlyList<string> Snapshot() => lines.ToArray();
}
