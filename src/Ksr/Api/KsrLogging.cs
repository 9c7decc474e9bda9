using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ContivKsr.Ksr.Api;

/// <summary>One logging set-up for the daemon and its web host: single-line console output, levels from <see cref="LogLevelSwitches"/>.</summary>
public static class KsrLogging
{
    public static void Configure(ILoggingBuilder builder, LogLevelSwitches switches, ILoggerProvider? extraProvider = null)
    {
        builder.ClearProviders();
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddFilter((category, level) => switches.IsEnabled(category, level));
        builder.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
            options.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        if (extraProvider is not null)
        {
            builder.AddProvider(extraProvider);
        }
    }
}
