using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Api;

/// <summary>
/// The loggers that the REST API lists and tunes, with the level names of the Go KSR (logrus):
/// debug, info, warning, error, fatal, panic. A logging filter reads these on every log call, so
/// a change takes effect at once.
/// </summary>
public sealed class LogLevelSwitches
{
    public const string DefaultLevel = "info";

    /// <summary>Categories that are not registered loggers (ASP.NET Core's own) log warnings and worse.</summary>
    private const LogLevel OtherCategoriesMinimum = LogLevel.Warning;

    private static readonly Dictionary<string, LogLevel> Levels = new(StringComparer.Ordinal)
    {
        ["debug"] = LogLevel.Debug,
        ["info"] = LogLevel.Information,
        ["warning"] = LogLevel.Warning,
        ["error"] = LogLevel.Error,
        // .NET has one level above Error; both of logrus' top levels map to it.
        ["fatal"] = LogLevel.Critical,
        ["panic"] = LogLevel.Critical,
    };

    private readonly ConcurrentDictionary<string, string> levels = new(StringComparer.Ordinal);

    public LogLevelSwitches(IEnumerable<string> loggers, string level = DefaultLevel)
    {
        if (!Levels.ContainsKey(level))
        {
            throw new ArgumentException($"unknown log level '{level}'", nameof(level));
        }

        foreach (var logger in loggers)
        {
            levels[logger] = level;
        }
    }

    public static IReadOnlyCollection<string> LevelNames => Levels.Keys;


    public IReadOnlyList<(string Logger, string Level)> List() =>
        [.. levels.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => (pair.Key, pair.Value))];

    public bool IsKnownLogger(string logger) => levels.ContainsKey(logger);

    public static bool IsKnownLevel(string level) => Levels.ContainsKey(level);

    /// <exception cref="KeyNotFoundException">Unknown logger.</exception>
    /// <exception cref="ArgumentException">Unknown level.</exception>
    public void Set(string logger, string level)
    {
        if (!levels.ContainsKey(logger))
        {
            throw new KeyNotFoundException($"unknown logger '{logger}'");
        }

        if (!Levels.ContainsKey(level))
        {
            throw new ArgumentException($"unknown log level '{level}'");
        }

        levels[logger] = level;
    }

    public bool IsEnabled(string? category, LogLevel level)
    {
        if (level == LogLevel.None)
        {
            return false;
        }

        return category is not null && levels.TryGetValue(category, out var name)
            ? level >= Levels[name]
            : level >= OtherCategoriesMinimum;
    }
}
