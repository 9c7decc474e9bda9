using System.Collections;
using ContivKsr.Ksr.Kinds;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ContivKsr.Ksr.Store;

/// <summary>
/// Tells whether a stored value says what ours says, even in other bytes: the same message once
/// decoded, with the lists that are built from a Kubernetes map (labels, match labels) compared as
/// sets. A Go KSR wrote its label lists in Go's random map order, and JSON says the same in any
/// spacing; such a value is left alone rather than rewritten, which would send every agent an
/// update for every object at once. A value that does
/// not decode with the model (a field it lacks, a wrong type) is never equivalent: agents cannot read it.
/// </summary>
/// <param name="codec">The codec of the stored values.</param>
public sealed class ValueEquivalence(ValueCodec codec)
{
    public bool Equivalent(ResourceKind kind, ReadOnlySpan<byte> stored, ReadOnlySpan<byte> ours)
    {
        if (stored.SequenceEqual(ours))
        {
            return true;
        }

        var model = kind.Model;
        IMessage storedMessage, ourMessage;
        try
        {
            storedMessage = codec.Decode(model, stored);
            ourMessage = codec.Decode(model, ours);
        }
        catch (UndecodableValueException)
        {
            return false;
        }

        SortMapLists(storedMessage);
        SortMapLists(ourMessage);
        return storedMessage.Equals(ourMessage);
    }

    /// <summary>Puts every list of key/value pairs in (key, value) order, at any depth.</summary>
    private static void SortMapLists(IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            if (field.FieldType != FieldType.Message || field.IsMap)
            {
                continue;
            }

            var value = field.Accessor.GetValue(message);
            if (!field.IsRepeated)
            {
                if (value is IMessage child)
                {
                    SortMapLists(child);
                }

                continue;
            }

            var list = (IList)value;
            if (IsKeyValuePair(field.MessageType))
            {
                var sorted = list.Cast<IMessage>()
                    .OrderBy(pair => KeyValue(pair, 1), StringComparer.Ordinal)
                    .ThenBy(pair => KeyValue(pair, 2), StringComparer.Ordinal)
                    .ToList();
                list.Clear();
                sorted.ForEach(pair => list.Add(pair));
            }
            else
            {
                foreach (IMessage child in list)
                {
                    SortMapLists(child);
                }
            }
        }
    }

    /// <summary>A map entry in list form: contiv's Label {key = 1; value = 2}, both strings.</summary>
    private static bool IsKeyValuePair(MessageDescriptor type) =>
        type.Fields.InFieldNumberOrder() is [{ Name: "key", FieldNumber: 1, FieldType: FieldType.String, IsRepeated: false },
                                            { Name: "value", FieldNumber: 2, FieldType: FieldType.String, IsRepeated: false }];

    private static string KeyValue(IMessage pair, int number) => (string)pair.Descriptor.FindFieldByNumber(number).Accessor.GetValue(pair);
}
