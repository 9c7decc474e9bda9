using ContivKsr.Ksr.Kinds;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ContivKsr.Ksr.Store;

/// <summary>
/// Encodes model messages as the store holds them, and reads them back as contiv's agents do.
/// JSON is what the Go KSR's jsonpb writer produced, byte for byte (see <see cref="JsonpbFormatter"/>);
/// reading rejects unknown fields, as jsonpb's Unmarshal did.
/// </summary>
public sealed class ValueCodec(ValueFormat format)
{
    /// <summary>The maps the Go KSR's converters always allocated, even empty, so that jsonpb wrote them as <c>{}</c>.</summary>
    public static readonly IReadOnlySet<string> GoAllocatedMaps = ResourceKind.All.SelectMany(kind => kind.MapsAlwaysWritten).ToHashSet(StringComparer.Ordinal);

    private static readonly JsonpbFormatter Formatter = new(GoAllocatedMaps);

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    public ValueFormat Format { get; } = format;

    public byte[] Encode(IMessage message) => Format switch
    {
        ValueFormat.Json => System.Text.Encoding.UTF8.GetBytes(Formatter.Format(message)),
        _ => message.ToByteArray(),
    };

    /// <exception cref="UndecodableValueException">Not a value of the model: malformed, or with a field the model lacks.</exception>
    public IMessage Decode(MessageDescriptor model, ReadOnlySpan<byte> value)
    {
        try
        {
            if (Format == ValueFormat.Json)
            {
                return Parser.Parse(System.Text.Encoding.UTF8.GetString(value), model);
            }

            var message = model.Parser.ParseFrom(value);
            // Google.Protobuf keeps unknown fields and compares them in Equals: a value equal to
            // its own parse without them has none.
            if (message.Equals(model.Parser.WithDiscardUnknownFields(true).ParseFrom(value)))
            {
                return message;
            }
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException)
        {
            throw new UndecodableValueException($"not a {model.FullName} value: {e.Message}", e);
        }

        throw new UndecodableValueException($"not a {model.FullName} value: it holds fields the model lacks");
    }

    public T Decode<T>(ReadOnlySpan<byte> value)
        where T : IMessage<T>, new() => (T)Decode(new T().Descriptor, value);
}
