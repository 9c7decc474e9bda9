using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ContivKsr.Kv.Cli;

/// <summary>
/// Everything kvctl prints on stdout, as text or (--json) JSON. Raw values go out as bytes;
/// line-oriented output (ls, watch) escapes control characters so one item stays one line.
/// </summary>
internal sealed class OutputWriter(Stream stdout, bool json)
{
    public async Task ValueAsync(KvPair pair, CancellationToken cancellationToken)
    {
        if (json)
        {
            await LineAsync(JsonSerializer.Serialize(PairJson.From(pair), KvctlJsonContext.Default.PairJson), cancellationToken).ConfigureAwait(false);
            return;
        }

        // The stored bytes exactly, with nothing added, so "kvctl get k > f" copies the value.
        await stdout.WriteAsync(pair.Value, cancellationToken).ConfigureAwait(false);
        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ListAsync(IReadOnlyList<KvPair> pairs, CancellationToken cancellationToken)
    {
        if (json)
        {
            await LineAsync(JsonSerializer.Serialize(pairs.Select(PairJson.From).ToList(), KvctlJsonContext.Default.ListPairJson), cancellationToken).ConfigureAwait(false);
            return;
        }

        var text = new StringBuilder();
        foreach (var pair in pairs)
        {
            text.Append(Escape(pair.Key)).Append('\n');
        }

        await WriteAsync(text.ToString(), cancellationToken).ConfigureAwait(false);
    }

    public Task IndexAsync(KvPair written, CancellationToken cancellationToken) => json
        ? LineAsync(JsonSerializer.Serialize(PairJson.From(written), KvctlJsonContext.Default.PairJson), cancellationToken)
        : LineAsync(written.LastIndex.ToString(CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>Text: "PUT key index value" or "DELETE key index".</summary>
    public Task EventAsync(KvWatchEvent change, CancellationToken cancellationToken)
    {
        if (json)
        {
            return LineAsync(JsonSerializer.Serialize(EventJson.From(change), KvctlJsonContext.Default.EventJson), cancellationToken);
        }

        var index = change.Pair.LastIndex.ToString(CultureInfo.InvariantCulture);
        return LineAsync(change.Kind == KvEventKind.Delete
            ? $"DELETE {Escape(change.Pair.Key)} {index}"
            : $"PUT {Escape(change.Pair.Key)} {index} {EscapeValue(change.Pair.Value)}", cancellationToken);
    }

    /// <summary>Text: "SNAPSHOT count key@index key@index ..." on one line (values: use --json).</summary>
    public Task SnapshotAsync(IReadOnlyList<KvPair> snapshot, CancellationToken cancellationToken)
    {
        if (json)
        {
            return LineAsync(JsonSerializer.Serialize(snapshot.Select(PairJson.From).ToList(), KvctlJsonContext.Default.ListPairJson), cancellationToken);
        }

        var line = new StringBuilder("SNAPSHOT ").Append(snapshot.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var pair in snapshot)
        {
            line.Append(' ').Append(Escape(pair.Key)).Append('@').Append(pair.LastIndex.ToString(CultureInfo.InvariantCulture));
        }

        return LineAsync(line.ToString(), cancellationToken);
    }

    /// <summary>UTF-8 text with backslash escapes for control characters, spaces kept; invalid UTF-8 as \xHH.</summary>
    internal static string EscapeValue(byte[] value)
    {
        var text = new StringBuilder(value.Length);
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true);
        for (var i = 0; i < value.Length;)
        {
            var length = Utf8SequenceLength(value, i);
            if (length == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{value[i]:x2}");
                i++;
                continue;
            }

            text.Append(Escape(decoder.GetString(value, i, length)));
            i += length;
        }

        return text.ToString();
    }

    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    /// <returns>Length of the valid UTF-8 sequence at <paramref name="i"/>, or 0 if the bytes there are not one.</returns>
    private static int Utf8SequenceLength(byte[] bytes, int i)
    {
        for (var length = 1; length <= 4 && i + length <= bytes.Length; length++)
        {
            if (System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(i, length)))
            {
                return length;
            }
        }

        return 0;
    }

    private Task LineAsync(string line, CancellationToken cancellationToken) => WriteAsync(line + "\n", cancellationToken);

    private async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        await stdout.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
