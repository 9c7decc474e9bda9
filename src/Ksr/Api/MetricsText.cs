using System.Globalization;
using System.Text;

namespace ContivKsr.Ksr.Api;

/// <summary>
/// The statistics in Prometheus' text exposition format. The same counters also serve /stats as
/// JSON, and they are per daemon instance, so they are formatted here rather than kept twice in a
/// process-global metrics registry.
/// </summary>
public static class MetricsText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Format(KsrStats stats, bool ready)
    {
        var text = new StringBuilder();
        Counter(text, "ksr_events_total", "Changes written per reflector, by type (add, update, delete, unchanged = skipped).",
            stats.Reflectors.Values.SelectMany(r => new[]
            {
                (Labels(r.Name, "type", "add"), r.Adds),
                (Labels(r.Name, "type", "update"), r.Updates),
                (Labels(r.Name, "type", "delete"), r.Deletes),
                (Labels(r.Name, "type", "unchanged"), r.Unchanged),
            }));
        Counter(text, "ksr_resyncs_total", "Resyncs run per reflector.", stats.Reflectors.Values.Select(r => (Labels(r.Name), r.Resyncs)));
        Counter(text, "ksr_resync_fixes_total", "Keys a resync had to add, update or delete.", stats.Reflectors.Values.Select(r => (Labels(r.Name), r.ResyncFixes)));
        Counter(text, "ksr_relists_total", "Relists after the initial one (410 Gone).", stats.Reflectors.Values.Select(r => (Labels(r.Name), r.Relists)));
        Counter(text, "ksr_errors_total", "Errors per reflector, by kind (list, watch, gone, conversion).",
            stats.Reflectors.Values.SelectMany(r => r.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (Labels(r.Name, "kind", e.Key), e.Value))));
        Counter(text, "ksr_store_batches_total", "Batches written to the store.", [("", stats.Store.Batches)]);
        Counter(text, "ksr_store_operations_total", "Puts and deletes written to the store.", [("", stats.Store.Operations)]);
        Counter(text, "ksr_store_write_errors_total", "Failed batch writes (retried).", [("", stats.Store.WriteErrors)]);
        Counter(text, "ksr_store_probe_errors_total", "Failed store health probes.", [("", stats.Store.ProbeErrors)]);
        Counter(text, "ksr_store_reconnects_total", "Times the store became reachable again.", [("", stats.Store.Reconnects)]);
        Counter(text, "ksr_store_data_loss_total", "Times the store was found to have lost data.", [("", stats.Store.DataLoss)]);
        Histogram(text, "ksr_store_write_latency_seconds", "From a change being queued to the store confirming it.", stats.Store.WriteLatency);
        text.Append("# HELP ksr_ready Whether the initial sync is done and the store reachable.\n# TYPE ksr_ready gauge\n");
        text.Append("ksr_ready ").Append(ready ? '1' : '0').Append('\n');
        return text.ToString();
    }

    private static string Labels(string reflector, string? name = null, string? value = null) =>
        name is null ? $"{{reflector=\"{reflector}\"}}" : $"{{reflector=\"{reflector}\",{name}=\"{value}\"}}";

    private static void Histogram(StringBuilder text, string name, string help, LatencyHistogram histogram)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" histogram\n");
        var cumulative = histogram.Cumulative();
        foreach (var (bound, count) in cumulative)
        {
            var le = double.IsPositiveInfinity(bound) ? "+Inf" : (bound / 1000).ToString(CultureInfo.InvariantCulture);
            text.Append(name).Append("_bucket{le=\"").Append(le).Append("\"} ").Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append(name).Append("_sum ").Append((histogram.SumMilliseconds / 1000).ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(name).Append("_count ").Append(cumulative[^1].Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Counter(StringBuilder text, string name, string help, IEnumerable<(string Labels, long Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" counter\n");
        foreach (var (labels, value) in samples)
        {
            text.Append(name).Append(labels).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
