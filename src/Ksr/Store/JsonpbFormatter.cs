using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ContivKsr.Ksr.Store;

/// <summary>
/// Writes a message byte for byte as the Go KSR stored it: golang/protobuf 1.3's jsonpb with
/// OrigName, no indentation. Google.Protobuf's JsonFormatter writes the same proto3 JSON but not
/// the same bytes (it spaces its output and orders fields by number), and every byte that
/// differs from what a Go KSR left in the store would be a rewrite, and an update for every
/// agent, when this daemon takes over.
/// </summary>
/// <remarks>
/// jsonpb's form: fields in declaration order (the order of the Go struct), default values left
/// out, a set message field written even when empty (<c>{}</c>), map entries sorted by key, enums
/// by name (an unknown number as a bare number), strings escaped as Go's encoding/json does (HTML
/// characters and U+2028/9 as \u escapes, other non-ASCII as UTF-8). A map the Go converter always
/// allocated was written as <c>{}</c> when empty; <paramref name="alwaysWrittenMaps"/> names those
/// (full field names such as <c>pod.Pod.annotations</c>). Only the field types the KSR models
/// use are supported; any other fails loudly rather than being written differently from Go.
/// </remarks>
/// <param name="alwaysWrittenMaps">Map fields written as <c>{}</c> when empty.</param>
public sealed class JsonpbFormatter(IReadOnlySet<string> alwaysWrittenMaps)
{
    /// <summary>What Go's encoding/json escapes (control characters, quote, backslash, HTML characters, U+2028/9), and surrogates, which need a look.</summary>
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Select(c => (char)c)) + "\"\\<>&\u2028\u2029" +
        string.Concat(Enumerable.Range(0xd800, 0x800).Select(c => (char)c)));

    public string Format(IMessage message)
    {
        var output = new StringBuilder();
        WriteMessage(output, message);
        return output.ToString();
    }

    private void WriteMessage(StringBuilder output, IMessage message)
    {
        output.Append('{');
        var first = true;
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (!IsWritten(field, value))
            {
                continue;
            }

            if (!first)
            {
                output.Append(',');
            }

            first = false;
            WriteString(output, field.Name);
            output.Append(':');
            if (field.IsMap)
            {
                WriteMap(output, field, (IDictionary)value);
            }
            else if (field.IsRepeated)
            {
                WriteList(output, field, (IList)value);
            }
            else
            {
                WriteValue(output, field, value);
            }
        }

        output.Append('}');
    }

    private bool IsWritten(FieldDescriptor field, object? value) => field switch
    {
        { IsMap: true } => ((IDictionary)value!).Count > 0 || alwaysWrittenMaps.Contains(field.FullName),
        { IsRepeated: true } => ((IList)value!).Count > 0,
        { FieldType: FieldType.Message } => value is not null,
        _ => !IsDefaultScalar(field, value!),
    };

    private static bool IsDefaultScalar(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.String => ((string)value).Length == 0,
        FieldType.Bool => !(bool)value,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => (int)value == 0,
        FieldType.UInt32 or FieldType.Fixed32 => (uint)value == 0,
        FieldType.Enum => EnumNumber(value) == 0,
        _ => throw Unsupported(field),
    };

    private void WriteList(StringBuilder output, FieldDescriptor field, IList values)
    {
        output.Append('[');
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                output.Append(',');
            }

            WriteValue(output, field, values[i]);
        }

        output.Append(']');
    }

    private void WriteMap(StringBuilder output, FieldDescriptor field, IDictionary map)
    {
        var keyField = field.MessageType.FindFieldByNumber(1);
        var valueField = field.MessageType.FindFieldByNumber(2);
        if (keyField.FieldType != FieldType.String)
        {
            throw Unsupported(keyField);
        }

        // Go sorts map keys by their UTF-8 bytes; Kubernetes keys (labels, annotations, selectors)
        // are ASCII, where ordinal order is the same.
        var keys = map.Keys.Cast<string>().Order(StringComparer.Ordinal);
        output.Append('{');
        var first = true;
        foreach (var key in keys)
        {
            if (!first)
            {
                output.Append(',');
            }

            first = false;
            WriteString(output, key);
            output.Append(':');
            WriteValue(output, valueField, map[key]);
        }

        output.Append('}');
    }

    private void WriteValue(StringBuilder output, FieldDescriptor field, object? value)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
                WriteMessage(output, (IMessage)value!);
                break;
            case FieldType.String:
                WriteString(output, (string)value!);
                break;
            case FieldType.Bool:
                output.Append((bool)value! ? "true" : "false");
                break;
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                output.Append(((int)value!).ToString(CultureInfo.InvariantCulture));
                break;
            case FieldType.UInt32 or FieldType.Fixed32:
                output.Append(((uint)value!).ToString(CultureInfo.InvariantCulture));
                break;
            case FieldType.Enum:
                var number = EnumNumber(value!);
                if (field.EnumType.FindValueByNumber(number) is { } known)
                {
                    WriteString(output, known.Name);
                }
                else
                {
                    output.Append(number.ToString(CultureInfo.InvariantCulture));
                }

                break;
            default:
                throw Unsupported(field);
        }
    }

    // A boxed enum unboxes to its underlying int.
    private static int EnumNumber(object value) => (int)value;

    /// <summary>A JSON string as Go's encoding/json (which jsonpb calls) escapes it.</summary>
    private static void WriteString(StringBuilder output, string text)
    {
        output.Append('"');
        var rest = text.AsSpan();
        int at;
        while ((at = rest.IndexOfAny(Escaped)) >= 0)
        {
            output.Append(rest[..at]);
            var c = rest[at];
            var length = 1;
            switch (c)
            {
                case '"':
                    output.Append("\\\"");
                    break;
                case '\\':
                    output.Append("\\\\");
                    break;
                case '\n':
                    output.Append("\\n");
                    break;
                case '\r':
                    output.Append("\\r");
                    break;
                case '\t':
                    output.Append("\\t");
                    break;
                case >= '\ud800' and <= '\udbff' when at + 1 < rest.Length && char.IsLowSurrogate(rest[at + 1]):
                    output.Append(rest.Slice(at, 2));
                    length = 2;
                    break;
                case >= '\ud800' and <= '\udfff':
                    // A lone surrogate is no character; Go writes invalid UTF-8 as U+FFFD.
                    output.Append("\\ufffd");
                    break;
                default:
                    // Other control characters, the HTML characters and U+2028/9.
                    output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
            }

            rest = rest[(at + length)..];
        }

        output.Append(rest).Append('"');
    }

    private static NotSupportedException Unsupported(FieldDescriptor field) =>
        new($"field {field.FullName} of type {field.FieldType}: the KSR models use no such field, and its jsonpb form is not implemented");
}
