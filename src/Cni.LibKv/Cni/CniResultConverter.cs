using System.Text.Json;

namespace ContivKsr.Cni.Cni;

/// <summary>Converts an ADD result between the supported spec versions, as libcni's convert functions do.</summary>
public static class CniResultConverter
{
    /// <summary>
    /// Returns <paramref name="result"/> in <paramref name="targetVersion"/>. A result already in that
    /// version is returned byte for byte, so nothing a delegate said is lost.
    /// </summary>
    /// <param name="sourceVersion">The version the delegate was asked for, used when the result names none.</param>
    /// <exception cref="CniException">Code 6 when the result is not a result object.</exception>
    public static byte[] Convert(ReadOnlySpan<byte> result, string sourceVersion, string targetVersion, string producer)
    {
        // The common case, a result already in the wanted version, needs no typed model at all.
        var version = result.IsEmpty ? sourceVersion : VersionOf(result, producer) ?? sourceVersion;
        if (version == targetVersion && !result.IsEmpty)
        {
            return result.ToArray();
        }

        if (!CniVersion.IsSupported(version))
        {
            throw new CniException(CniErrorCode.IncompatibleVersion,
                $"{producer} returned a result in cniVersion {version}, which cannot be converted to {targetVersion}");
        }

        CniResult? parsed;
        try
        {
            parsed = result.IsEmpty ? new CniResult() : JsonSerializer.Deserialize(result, CniJsonContext.Default.CniResult);
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"{producer} returned a result that is not a CNI result: {e.Message}");
        }

        ConvertInPlace(parsed!, targetVersion);
        return JsonSerializer.SerializeToUtf8Bytes(parsed!, CniJsonContext.Default.CniResult);
    }

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

            return document.RootElement.TryGetProperty("cniVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"{producer} returned a result that is not a CNI result: {e.Message}");
        }
    }

    public static void ConvertInPlace(CniResult result, string targetVersion)
    {
        result.CniVersion = targetVersion;
        var pre100 = CniVersion.IsPre100(targetVersion);
        foreach (var ip in result.Ips ?? [])
        {
            ip.Version = pre100 ? FamilyOf(ip.Address) : null;
        }

        if (CniVersion.Compare(targetVersion, "1.1.0") >= 0)
        {
            return;
        }

        foreach (var i in result.Interfaces ?? [])
        {
            i.Mtu = null;
            i.SocketPath = null;
            i.PciId = null;
        }

        foreach (var route in result.Routes ?? [])
        {
            route.Mtu = null;
            route.AdvMss = null;
            route.Priority = null;
            route.Table = null;
            route.Scope = null;
        }
    }

    private static string FamilyOf(string? address) =>
        address is not null && address.Contains(':', StringComparison.Ordinal) ? "6" : "4";
}
