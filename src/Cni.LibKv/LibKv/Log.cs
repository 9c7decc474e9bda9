using System.Globalization;

namespace ContivKsr.Cni.LibKv;

public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,
}

/// <summary>
/// Timestamped lines to <c>logFile</c> (appended) or, without one, to stderr, where runtimes keep
/// a plugin's complaints. Nothing is formatted below the configured level.
/// </summary>
public sealed class Log
{
    private readonly string? file;
    private readonly LogLevel minimum;

    public Log(string? file, LogLevel minimum)
    {
        this.file = file;
        this.minimum = minimum;
    }

    /// <summary>Before the config is read: warnings and errors to stderr.</summary>
    public static Log Default { get; } = new(null, LogLevel.Warning);

    public string ContainerId { get; set; } = "-";

    public bool IsEnabled(LogLevel level) => level >= minimum;

    public static LogLevel ParseLevel(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" => LogLevel.Warning,
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Info,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => throw new FormatException($"unknown logLevel '{value}'; expected debug, info, warning or error"),
    };

    public void Debug(string message) => Write(LogLevel.Debug, message);

    public void Info(string message) => Write(LogLevel.Info, message);

    public void Warning(string message) => Write(LogLevel.Warning, message);

    public void Error(string message) => Write(LogLevel.Error, message);

    public void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} libkv[{Environment.ProcessId}] {level.ToString().ToLowerInvariant()} container={ContainerId}: {message}\n");
        try
        {
            if (file is null)
            {
                Console.Error.Write(line);
            }
            else
            {
                File.AppendAllText(file, line);
            }
        }
        catch (IOException)
        {
            // Logging must never turn a working ADD into a failed one.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
