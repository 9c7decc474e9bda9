using ContivKsr.Kv.Consul;
using Microsoft.Extensions.Time.Testing;

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
    public async Task PacingLetsABurstThroughThenLimitsTheRate()
    {
        var time = new FakeTimeProvider();
        var cursor = new ConsulBlockingCursor(1, time);

        for (var i = 0; i < ConsulBlockingCursor.Burst; i++)
        {
            Assert.True(cursor.PaceAsync(CancellationToken.None).IsCompleted, $"query {i} of the burst was delayed");
        }

        var throttled = cursor.PaceAsync(CancellationToken.None);
        Assert.False(throttled.IsCompleted, "a query past the burst was not delayed");
        time.Advance(ConsulBlockingCursor.MinimumInterval);
        await throttled.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
