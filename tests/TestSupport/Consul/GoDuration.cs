using System.Globalization;

namespace ContivKsr.TestSupport.Consul;

/// <summary>Go's time.ParseDuration syntax ("10s", "1m30s", "100ms", "1.5h"), which Consul uses for wait, TTL and LockDelay.</summary>
public static class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        double totalNanoseconds = 0;
        var position = 0;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }

            if (start == position || !double.TryParse(text.AsSpan(start, position - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = position;
            while (position < text.Length && !char.IsAsciiDigit(text[position]) && text[position] != '.')
            {
                position++;
            }

            double? scale = text[unitStart..position] switch
            {
                "ns" => 1,
                "us" or "µs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                _ => null,
            };
            if (scale is null)
            {
                return false;
            }

            totalNanoseconds += number * scale.Value;
        }

        duration = TimeSpan.FromTicks((long)(totalNanoseconds / 100));
        return true;
    }

    /// <summary>Go's Duration.String() for whole seconds and above ("10s", "1m30s"), else milliseconds.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var hours = (long)duration.TotalHours;
        var text = hours > 0 ? $"{hours}h{duration.Minutes}m{duration.Seconds}s"
            : duration.Minutes > 0 ? $"{duration.Minutes}m{duration.Seconds}s"
            : $"{duration.Seconds}s";
        return text;
    }
}
