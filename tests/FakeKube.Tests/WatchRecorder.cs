using System.Threading.Channels;
using k8s;

namespace ContivKsr.FakeKube.Tests;

/// <summary>Collects what a KubernetesClient watcher reports (events, errors, close) for assertions.</summary>
internal sealed class WatchRecorder<T>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Channel<(WatchEventType Type, T Object)> events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly Channel<Exception> errors = Channel.CreateUnbounded<Exception>();
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OnEvent(WatchEventType type, T obj) => events.Writer.TryWrite((type, obj));

    public void OnError(Exception error) => errors.Writer.TryWrite(error);

    public void OnClosed() => closed.TrySetResult();

    public Task Closed => closed.Task;

    public async Task<(WatchEventType Type, T Object)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await events.Reader.ReadAsync(timeout.Token);
    }

    public async Task<List<(WatchEventType Type, T Object)>> NextAsync(int count)
    {
        var received = new List<(WatchEventType, T)>();
        for (var i = 0; i < count; i++)
        {
            received.Add(await NextAsync());
        }

        return received;
    }

    public async Task<Exception> NextErrorAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await errors.Reader.ReadAsync(timeout.Token);
    }

    public async Task WaitClosedAsync() => await closed.Task.WaitAsync(Patience);

    /// <summary>Errors that arrived and were not read yet.</summary>
    public List<Exception> Errors()
    {
        var pending = new List<Exception>();
        while (errors.Reader.TryRead(out var error))
        {
            pending.Add(error);
        }

        return pending;
    }

    /// <summary>Events that arrived and were not read yet (for "nothing else came" checks after a close).</summary>
    public List<(WatchEventType Type, T Object)> Pending()
    {
        var pending = new List<(WatchEventType, T)>();
        while (events.Reader.TryRead(out var item))
        {
            pending.Add(item);
        }

        return pending;
    }
}
