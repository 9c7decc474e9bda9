using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Prometheus;

namespace ContivKsr.Ksr.Api;

/// <summary>
/// The REST endpoints of the Go KSR (GET /log/list, PUT /log/{logger}/{level}, /liveness,
/// /readiness) plus statistics as JSON (/stats) and as Prometheus metrics (/metrics).
/// </summary>
public static class RestApi
{
    public static void Map(WebApplication app, LogLevelSwitches levels, KsrStats stats, IDaemonStatus status)
    {
        app.MapGet("/log/list", () => Results.Json(
            levels.List().Select(l => new LoggerLevel(l.Logger, l.Level)).ToList(), KsrJsonContext.Default.ListLoggerLevel));

        app.MapPut("/log/{logger}/{level}", (string logger, string level) =>
        {
            if (!levels.IsKnownLogger(logger))
            {
                return Results.Json(new ErrorBody($"unknown logger '{logger}'; GET /log/list shows them"), KsrJsonContext.Default.ErrorBody, statusCode: StatusCodes.Status404NotFound);
            }

            if (!LogLevelSwitches.IsKnownLevel(level))
            {
                return Results.Json(new ErrorBody($"unknown level '{level}'; expected one of {string.Join(", ", LogLevelSwitches.LevelNames)}"), KsrJsonContext.Default.ErrorBody, statusCode: StatusCodes.Status400BadRequest);
            }

            levels.Set(logger, level);
            return Results.Json(new LoggerLevel(logger, level), KsrJsonContext.Default.LoggerLevel);
        });

        app.MapGet("/liveness", () => status.Alive
            ? Results.Json(new ProbeStatus("OK", null, status.Leader), KsrJsonContext.Default.ProbeStatus)
            : Results.Json(new ProbeStatus("ERROR", status.NotReadyReason, status.Leader), KsrJsonContext.Default.ProbeStatus, statusCode: StatusCodes.Status503ServiceUnavailable));

        app.MapGet("/readiness", () => status.Ready
            ? Results.Json(new ProbeStatus("OK", null, status.Leader), KsrJsonContext.Default.ProbeStatus)
            : Results.Json(new ProbeStatus("ERROR", status.NotReadyReason, status.Leader), KsrJsonContext.Default.ProbeStatus, statusCode: StatusCodes.Status503ServiceUnavailable));

        app.MapGet("/stats", () => Results.Json(View(stats, status.Ready), KsrJsonContext.Default.StatsView));

        app.MapMetrics("/metrics", stats.Registry);
    }

    private static StatsView View(KsrStats stats, bool ready) => new(
        ready,
        stats.Reflectors.ToDictionary(
            pair => pair.Key,
            pair => new ReflectorStatsView(pair.Value.Adds, pair.Value.Updates, pair.Value.Deletes, pair.Value.Unchanged,
                pair.Value.Resyncs, pair.Value.ResyncFixes, pair.Value.Relists,
                pair.Value.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value))),
        new StoreStatsView(stats.Store.Batches, stats.Store.Operations, stats.Store.WriteErrors, stats.Store.ProbeErrors, stats.Store.Reconnects, stats.Store.DataLoss,
            new LatencyView(stats.Store.WriteLatencyCount, Math.Round(stats.Store.WriteLatencySum.TotalMilliseconds, 3))));
}
