using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace ContivKsr.Cni.Cni;

/// <summary>
/// Converts an ADD result between the supported spec versions, both ways, as libcni's convert
/// functions do (the rules are in <see cref="CniResultShapes"/>).
/// </summary>
public static class CniResultConverter
{
    /// <summary>
    /// Returns <paramref name="result"/> in <paramref name="targetVersion"/>. A result that states that
    /// version is returned byte for byte, so nothing a delegate said is lost.
    /// </summary>
    /// <param name="sourceVersion">The version the delegate was asked for, used when the result names none (as libcni does).</param>
    /// <exception cref="CniException">
    /// Code 6 when the result is not a result object; code 1 when it is in an unknown version, or
    /// cannot be expressed in <paramref name="targetVersion"/> (no address for 0.1.0/0.2.0).
    /// </exception>
    public static byte[] Convert(ReadOnlySpan<byte> result, string sourceVersion, string targetVersion, string producer)
    {
        // The common case, a result already in the wanted version, needs no typed model at all.
        var stated = result.IsEmpty ? null : VersionOf(result, producer);
        if (stated == targetVersion)
        {
            return result.ToArray();
        }

        var version = stated ?? sourceVersion;
        if (!CniVersion.IsSupported(version) || !CniVersion.IsSupported(targetVersion))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion,
                $"{producer} returned a result in cniVersion {version}, which cannot be converted to {targetVersion}");
        }

        try
        {
            return CniVersion.HasLegacyResult(version)
                ? FromLegacy(Read(result, CniJsonContext.Default.CniLegacyResult), targetVersion, producer)
                : FromCurrent(Read(result, CniJsonContext.Default.CniResult), version, targetVersion, producer);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"{producer} returned a result that is not a CNI result: {e.Message}");
        }
    }

    /// <summary>
    /// <paramref name="result"/> in <paramref name="targetVersion"/>: the node itself when it states
    /// that version, else a converted copy (see <see cref="Convert"/>).
    /// </summary>
    public static JsonNode Convert(JsonNode result, string sourceVersion, string targetVersion, string producer)
    {
        if (result is JsonObject o && CniJson.StringOf(o["cniVersion"]) == targetVersion)
        {
            return result;
        }

        return JsonNode.Parse(Convert(CniJson.Write(result), sourceVersion, targetVersion, producer))!;
    }

    private static byte[] FromLegacy(CniLegacyResult legacy, string targetVersion, string producer)
    {
        if (CniVersion.HasLegacyResult(targetVersion))
        {
            CniResultShapes.Relabel(legacy, targetVersion);
            return Write(legacy, CniJsonContext.Default.CniLegacyResult);
        }

        // libcni goes through 0.4.0 on the way up, and so does this.
        return FromCurrent(CniResultShapes.FromLegacy(legacy), "0.4.0", targetVersion, producer);
    }

    private static byte[] FromCurrent(CniResult result, string version, string targetVersion, string producer)
    {
        if (!CniVersion.HasLegacyResult(targetVersion))
        {
            CniResultShapes.Reshape(result, version, targetVersion);
            return Write(result, CniJsonContext.Default.CniResult);
        }

        var legacy = CniResultShapes.ToLegacy(result, version, targetVersion)
            ?? throw new CniException(CniErrorCode.IncompatibleVersion,
                $"{producer} returned a result without an IP address, which cniVersion {targetVersion} cannot express (its result is one ip4 and one ip6)");
        return Write(legacy, CniJsonContext.Default.CniLegacyResult);
    }

    private static T Read<T>(ReadOnlySpan<byte> result, JsonTypeInfo<T> type) where T : new() =>
        result.IsEmpty ? new T() : JsonSerializer.Deserialize(result, type) ?? new T();

    private static byte[] Write<T>(T value, JsonTypeInfo<T> type) => CniJson.Write(writer => JsonSerializer.Serialize(writer, value, type));

    private static string? VersionOf(ReadOnlySpan<byte> result, string producer)
    {
        try
        {
            var reader = new Utf8JsonReader(result);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CniException(CniErrorCode.DecodingFailure, $"{producer} returned a result that is not a JSON object");
            }

            // An empty cniVersion is no version at all (libcni's reading too).
            return document.RootElement.TryGetProperty("cniVersion", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } text
                ? text
                : null;
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"{producer} returned a result that is not a CNI result: {e.Message}");
        }
    }
}
