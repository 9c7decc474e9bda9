using ContivKsr.GoTime;

namespace ContivKsr.Kv.Tests;

/// <summary>The cases of Go's own time package tests (time_test.go), to the tick TimeSpan holds.</summary>
public sealed class GoDurationTests
{
    private const long Nanosecond = 1;
    private const long Microsecond = 1_000;
    private const long Millisecond = 1_000_000;
    private const long Second = 1_000_000_000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;

    public static TheoryData<string, long> Valid() => new()
    {
        { "0", 0 },
        { "5s", 5 * Second },
        { "30s", 30 * Second },
        { "1478s", 1478 * Second },
        { "-5s", -5 * Second },
        { "+5s", 5 * Second },
        { "-0", 0 },
        { "+0", 0 },
        { "5.0s", 5 * Second },
        { "5.6s", 5 * Second + 600 * Millisecond },
        { "5.s", 5 * Second },
        { ".5s", Second / 2 },
        { "1.004s", Second + 4 * Millisecond },
        { "100.00100s", 100 * Second + Millisecond },
        { "100ns", 100 * Nanosecond },
        { "11us", 11 * Microsecond },
        { "12µs", 12 * Microsecond },
        { "12μs", 12 * Microsecond },
        { "13ms", 13 * Millisecond },
        { "15m", 15 * Minute },
        { "16h", 16 * Hour },
        { "3h30m", 3 * Hour + 30 * Minute },
        { "10.5s4m", 4 * Minute + 10 * Second + 500 * Millisecond },
        { "-2m3.4s", -(2 * Minute + 3 * Second + 400 * Millisecond) },
        { "1h2m3s4ms5us600ns", Hour + 2 * Minute + 3 * Second + 4 * Millisecond + 5 * Microsecond + 600 * Nanosecond },
        { "39h9m14.425s", 39 * Hour + 9 * Minute + 14 * Second + 425 * Millisecond },
        { "52763797000ns", 52763797000 * Nanosecond },
        { "0.3333333333333333333h", 20 * Minute },
        { "9223372036854775800ns", 9223372036854775800 },
        { "-9223372036854775808ns", long.MinValue },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void ParsesWhatGoParses(string text, long nanoseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration), text);
        Assert.Equal(TimeSpan.FromTicks(nanoseconds / 100), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("-")]
    [InlineData("s")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData(".s")]
    [InlineData("+.s")]
    [InlineData("1d")]
    [InlineData("1s ")]
    [InlineData("1.5.5s")]
    [InlineData("\u0085\u0085")]
    [InlineData("9223372036854775808ns")]
    [InlineData("9223372036854775.808us")]
    [InlineData("-9223372036854775809ns")]
    [InlineData("2562048h")]
    public void RejectsWhatGoRejects(string? text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData("0s", 0)]
    [InlineData("100ns", 100 * Nanosecond)]
    [InlineData("1.1µs", 1100 * Nanosecond)]
    [InlineData("2.2ms", 2200 * Microsecond)]
    [InlineData("3.3s", 3300 * Millisecond)]
    [InlineData("10s", 10 * Second)]
    [InlineData("4m5s", 4 * Minute + 5 * Second)]
    [InlineData("4m5.001s", 4 * Minute + 5001 * Millisecond)]
    [InlineData("5h6m7.001s", 5 * Hour + 6 * Minute + 7001 * Millisecond)]
    [InlineData("24h0m0s", 24 * Hour)]
    [InlineData("1h0m0.0000001s", Hour + 100 * Nanosecond)]
    [InlineData("-1.5s", -1500 * Millisecond)]
    public void FormatsAsGoPrints(string expected, long nanoseconds)
    {
        var duration = TimeSpan.FromTicks(nanoseconds / 100);

        Assert.Equal(expected, GoDuration.Format(duration));
        Assert.True(GoDuration.TryParse(expected, out var back));
        Assert.Equal(duration, back);
    }
}
