using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace ContivKsr.Cni.Cni;

/// <summary>
/// How libkv writes JSON (delegate stdin, its state files) and reads plain values from parsed nodes,
/// each without the start-up costs noted on its members.
/// </summary>
public static class CniJson
{
    /// <summary>
    /// The default escaping (only Basic Latin unescaped), built on its own: reaching it through
    /// <see cref="JavaScriptEncoder.Default"/> also builds the all-of-Unicode relaxed encoder in the
    /// same static constructor, which was measured at about 85 µs of a run that writes JSON once.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.BasicLatin) };

    /// <summary>UTF-8 JSON of whatever <paramref name="write"/> writes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Write(JsonNode node) => Write(writer => node.WriteTo(writer));

    /// <summary>The text of a JSON string; null for any other node.</summary>
    /// <remarks>
    /// Not through <c>JsonValue.TryGetValue&lt;T&gt;</c>/<c>GetValue&lt;T&gt;</c>: those are generic
    /// virtual methods, and the first such call in a Native AOT process starts its type loader
    /// (≈ 50 µs). <see cref="JsonNode.ToString"/> gives a string value unquoted.
    /// </remarks>
    public static string? StringOf(JsonNode? node) =>
        node is JsonValue && node.GetValueKind() == JsonValueKind.String ? node.ToString() : null;

    /// <summary>True or false for a JSON boolean; null for any other node.</summary>
    public static bool? BooleanOf(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
