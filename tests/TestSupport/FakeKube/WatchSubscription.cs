using System.Threading.Channels;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// One open watch. The store writes into its unbounded channel under the store's lock, so a slow
/// reader never blocks a writer and no event falls between the replay and the live events; the
/// watch's HTTP response drains the channel.
/// </summary>
internal sealed class WatchSubscription
{
    private readonly Channel<WatchMessage> channel = Channel.CreateUnbounded<WatchMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource dropped = new();

    public WatchSubscription(ObjectFilter filter, bool allowBookmarks)
    {
        Filter = filter;
        AllowBookmarks = allowBookmarks;
    }

    public ObjectFilter Filter { get; }

    public bool AllowBookmarks { get; }

    public ChannelReader<WatchMessage> Messages => channel.Reader;

    /// <summary>Cancelled when the fake is told to cut the stream abruptly (DropWatches, Unavailable, Dispose).</summary>
    public CancellationToken Dropped => dropped.Token;

    /// <summary>Queues <paramref name="change"/> as this watch sees it through its filter.</summary>
    public void Offer(WatchEvent change)
    {
        var visibleNow = Filter.Matches(change.Object);
        var visibleBefore = change.Type == WatchEvent.Modified && change.Previous is { } previous ? Filter.Matches(previous) : visibleNow;
        var type = (visibleBefore, visibleNow) switch
        {
            (true, true) => change.Type,
            (false, true) => WatchEvent.Added,
            (true, false) => WatchEvent.Deleted,
            _ => null,
        };
        if (type is not null)
        {
            channel.Writer.TryWrite(new WatchMessage(type, change.Object.Json));
        }
    }

    public void Send(WatchMessage message) => channel.Writer.TryWrite(message);

    /// <summary>Ends the stream cleanly after what is queued (the server closed it, as after an ERROR event).</summary>
    public void Complete() => channel.Writer.TryComplete();

    /// <summary>Cuts the stream. Cancels before completing, so the response never mistakes a drop for a clean end.</summary>
    public void Drop()
    {
        dropped.Cancel();
        channel.Writer.TryComplete();
    }
}
