using System.Globalization;
using System.Text;

namespace ContivKsr.GoTime;

/// <summary>
/// Go's <c>time.Duration</c> in text: <see cref="TryParse"/> accepts exactly what
/// <c>time.ParseDuration</c> accepts ("10s", "1m30s", "1.5h", "-2ms", ".5s", "0"), and
/// <see cref="Format"/> writes what <c>Duration.String()</c> writes ("1m30s", "1.5ms", "0s").
/// Consul reads its durations this way, and the Go KSR's configs held them this way.
/// </summary>
public static class GoDuration
{
    private const ulong NanosecondsPerTick = 100;
    private const ulong Microsecond = 1_000;
    private const ulong Millisecond = 1_000_000;
    private const ulong Second = 1_000_000_000;
    private const ulong Minute = 60 * Second;
    private const ulong Hour = 60 * Minute;

    /// <summary>The largest magnitude Go's int64 nanoseconds hold, as an unsigned number.</summary>
    private const ulong Limit = 1UL << 63;

    /// <returns>False for anything Go would reject: no unit, an unknown unit, no digits, overflow.</returns>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var rest = text.AsSpan();
        var negative = false;
        if (rest[0] is '-' or '+')
        {
            negative = rest[0] == '-';
            rest = rest[1..];
        }

        if (rest is "0")
        {
            return true;
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        ulong total = 0;
        while (!rest.IsEmpty)
        {
            if (!TryReadTerm(ref rest, out var nanoseconds) || (total += nanoseconds) > Limit)
            {
                return false;
            }
        }

        if (!negative && total == Limit)
        {
            return false;
        }

        var ticks = (long)(total / NanosecondsPerTick);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Go's <c>Duration.String()</c>, to the tick (100 ns); beyond Go's range (292 years) in more hours.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder(duration < TimeSpan.Zero ? "-" : "");
        var nanoseconds = (UInt128)(ulong)Math.Abs((decimal)duration.Ticks) * NanosecondsPerTick;
        if (nanoseconds < Second)
        {
            var (unit, fractionDigits) = (ulong)nanoseconds switch
            {
                < Microsecond => ("ns", 0),
                < Millisecond => ("µs", 3),
                _ => ("ms", 6),
            };
            return AppendNumber(text, nanoseconds, fractionDigits).Append(unit).ToString();
        }

        var hours = nanoseconds / Hour;
        var minutes = nanoseconds % Hour / Minute;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return AppendNumber(text, nanoseconds % Minute, 9).Append('s').ToString();
    }

    /// <summary>One "number unit" term: digits, an optional fraction, a unit.</summary>
    private static bool TryReadTerm(ref ReadOnlySpan<char> rest, out ulong nanoseconds)
    {
        nanoseconds = 0;
        var whole = TakeDigits(ref rest, out var wholeDigits);
        ulong fraction = 0;
        double fractionScale = 1;
        var fractionDigits = 0;
        if (!rest.IsEmpty && rest[0] == '.')
        {
            rest = rest[1..];
            (fraction, fractionScale, fractionDigits) = TakeFraction(ref rest);
        }

        if (whole is null || (wholeDigits == 0 && fractionDigits == 0))
        {
            return false;
        }

        var unitLength = rest.IndexOfAny("0123456789.");
        var unitText = unitLength < 0 ? rest : rest[..unitLength];
        rest = rest[unitText.Length..];
        ulong? unit = unitText switch
        {
            "ns" => 1,
            "us" or "µs" or "μs" => Microsecond,
            "ms" => Millisecond,
            "s" => Second,
            "m" => Minute,
            "h" => Hour,
            _ => null,
        };
        if (unit is not { } scale || whole > Limit / scale)
        {
            return false;
        }

        nanoseconds = whole.Value * scale;
        if (fraction > 0)
        {
            nanoseconds += (ulong)(fraction * (scale / fractionScale));
        }

        return nanoseconds <= Limit;
    }

    /// <returns>The digits' value, or null when it overflows Go's int64.</returns>
    private static ulong? TakeDigits(ref ReadOnlySpan<char> rest, out int count)
    {
        ulong value = 0;
        var overflow = false;
        count = 0;
        while (count < rest.Length && char.IsAsciiDigit(rest[count]))
        {
            var digit = (ulong)(rest[count] - '0');
            overflow |= value > (Limit - digit) / 10;
            value = overflow ? value : value * 10 + digit;
            count++;
        }

        rest = rest[count..];
        return overflow ? null : value;
    }

    /// <summary>As Go's leadingFraction: digits past what fits are read and ignored.</summary>
    private static (ulong Value, double Scale, int Digits) TakeFraction(ref ReadOnlySpan<char> rest)
    {
        ulong value = 0;
        double scale = 1;
        var full = false;
        var count = 0;
        while (count < rest.Length && char.IsAsciiDigit(rest[count]))
        {
            var digit = (ulong)(rest[count] - '0');
            full |= value > (Limit - 1 - digit) / 10;
            if (!full)
            {
                value = value * 10 + digit;
                scale *= 10;
            }

            count++;
        }

        rest = rest[count..];
        return (value, scale, count);
    }

    /// <summary>nanoseconds / 10^fractionDigits, with the fraction's trailing zeros (and a bare point) left out.</summary>
    private static StringBuilder AppendNumber(StringBuilder text, UInt128 value, int fractionDigits)
    {
        var scale = UInt128.One;
        for (var i = 0; i < fractionDigits; i++)
        {
            scale *= 10;
        }

        text.Append((value / scale).ToString(CultureInfo.InvariantCulture));
        var remainder = value % scale;
        return remainder == 0
            ? text
            : text.Append('.').Append(remainder.ToString(CultureInfo.InvariantCulture).PadLeft(fractionDigits, '0').TrimEnd('0'));
    }
}
