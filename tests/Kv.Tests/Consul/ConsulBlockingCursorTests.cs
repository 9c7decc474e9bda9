using ContivKsr.Kv.Stores.Consul;

namespace ContivKsr.Kv.Tests.Consul;

/// <summary>The index rules of Consul's "Blocking Queries" documentation, as the watch loops apply them.</summary>
public sealed class ConsulBlockingCursorTests
{
    [Fact]
    public void IndexFollowsTheAnswers()
    {
        var cursor = new ConsulBlockingCursor(10);

        cursor.Advance(10);
        Assert.Equal(10UL, cursor.Index);
        cursor.Advance(42);
        Assert.Equal(42UL, cursor.Index);
        Assert.False(cursor.WasReset);
    }

    [Fact]
    public void IndexThatGoesBackwardsResetsToZeroSoTheNextQueryRereads()
    {
        var cursor = new ConsulBlockingCursor(42);

        cursor.Advance(7);

        Assert.True(cursor.WasReset);
        Assert.Equal(0UL, cursor.Index);
        cursor.Advance(7);
        Assert.Equal(7UL, cursor.Index);
        Assert.False(cursor.WasReset);
    }

    [Fact]
    public void ZeroIndexAfterAnAnswerBecomesOneSoTheNextQueryBlocks()
    {
        var cursor = new ConsulBlockingCursor(0);

        cursor.Advance(0);

        Assert.Equal(1UL, cursor.Index);
    }

    [Fact]
    public async Task PacingLetsABurstThroughWithoutWaiting()
    {
        var cursor = new ConsulBlockingCursor(1);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        for (var i = 0; i < ConsulBlockingCursor.Burst; i++)
        {
            await cursor.PaceAsync(CancellationToken.None);
        }

        // A generous bound: the burst itself must not be delayed by the minimum interval.
        Assert.True(clock.Elapsed < ConsulBlockingCursor.MinimumInterval * ConsulBlockingCursor.Burst, $"took {clock.Elapsed}");
    }
}
