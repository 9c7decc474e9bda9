using Google.Protobuf;

namespace ContivKsr.Ksr.Store;

/// <summary>
/// Encodes model messages as the store holds them. JSON matches what the Go KSR's jsonpb writer
/// produced (OrigName: the .proto field names; enums by name; default values left out).
/// </summary>
public sealed class ValueCodec(ValueFormat format)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public ValueFormat Format { get; } = format;

    public byte[] Encode(IMessage message) => Format switch
    {
        ValueFormat.Json => System.Text.Encoding.UTF8.GetBytes(Formatter.Format(message)),
        _ => message.ToByteArray(),
    };

    public T Decode<T>(ReadOnlySpan<byte> value)
        where T : IMessage<T>, new()
    {
        if (Format == ValueFormat.Json)
        {
            return Parser.Parse<T>(System.Text.Encoding.UTF8.GetString(value));
        }

        var message = new T();
        message.MergeFrom(value);
        return message;
    }
}
