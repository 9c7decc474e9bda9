using System.Text.Json.Nodes;

namespace ContivKsr.Cni.LibKv.Tests.Support;

/// <summary>One conversion with its exact expected output, or the error code it must give.</summary>
/// <param name="Name">What the case shows, with its versions.</param>
/// <param name="LibcniDiffers">Why libcni (Debian's 1.1.2) answers otherwise; null when it answers the same.</param>
public sealed record ConversionCase(string Name, string From, string To, string Input, string? Expected, int? Error, string? LibcniDiffers);

/// <summary>
/// The golden result conversions in TestData/ResultConversion: from-VERSION.json holds one rich
/// result in VERSION and its exact conversion to every other version; cases.json the results that
/// cannot be expressed, are malformed or are otherwise worth a rule of their own. JSON is compared
/// in compact form, so property order counts.
/// </summary>
public static class ConversionGoldens
{
    public static readonly string[] Versions = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    private static readonly Lazy<IReadOnlyList<ConversionCase>> LoadedCases = new(LoadCases);

    private static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "ResultConversion");

    /// <summary>Every ordered pair of different versions.</summary>
    public static IEnumerable<(string From, string To)> Pairs() =>
        from source in Versions from target in Versions where source != target select (source, target);

    /// <summary>The rich result in <paramref name="from"/>, and its expected conversion to <paramref name="to"/>.</summary>
    public static (string Input, string Expected) Pair(string from, string to)
    {
        var file = Load(Path.Combine(Directory, $"from-{from}.json"));
        return (Compact(file["input"]), Compact(file["expected"]![to] ?? throw new KeyNotFoundException($"from-{from}.json has no expected {to}")));
    }

    public static IReadOnlyList<ConversionCase> Cases() => LoadedCases.Value;

    public static ConversionCase Case(string name) => Cases().Single(c => c.Name == name);

    public static string Compact(JsonNode? node) => node?.ToJsonString() ?? throw new InvalidDataException("missing JSON in a golden file");

    private static IReadOnlyList<ConversionCase> LoadCases() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "cases.json")))!.AsArray().Select(c =>
        {
            var from = (string)c!["from"]!;
            var to = (string)c["to"]!;
            return new ConversionCase($"{(string)c["case"]!} ({from} → {to})", from, to, Compact(c["input"]),
                c["expected"] is { } expected ? Compact(expected) : null, (int?)c["error"], (string?)c["libcniDiffers"]);
        }).ToList();

    private static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();
}
