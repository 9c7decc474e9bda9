using System.Globalization;
using ContivKsr.GoTime;

namespace ContivKsr.Ksr.Config;

/// <summary>
/// Durations as the Go KSR's configs hold them: an integer is nanoseconds (a Go time.Duration
/// written as a YAML number), anything else Go's duration syntax ("1s", "500ms", "1m30s").
/// </summary>
public static class ConfigDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var nanoseconds))
        {
            duration = TimeSpan.FromTicks(nanoseconds / 100);
            return true;
        }

        return GoDuration.TryParse(text, out duration);
    }
}
