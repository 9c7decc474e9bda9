namespace ContivKsr.Cni.Cni;

/// <summary>The spec versions this plugin speaks, and the facts about them that change behaviour.</summary>
public static class CniVersion
{
    public const string Latest = "1.1.0";

    /// <summary>What a configuration or result without <c>cniVersion</c> is read as (spec; libcni does the same).</summary>
    public const string Unstated = "0.1.0";

    /// <summary>An empty cniVersion is no version: 0.1.0 (libcni's and the reference plugins' reading).</summary>
    public static string OrUnstated(string version) => version.Length == 0 ? Unstated : version;

    public static IReadOnlyList<string> Supported { get; } = ["0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    public static bool IsSupported(string? version) => version is not null && Supported.Contains(version);

    /// <summary>CHECK exists from 0.4.0 on, as does a prevResult in DEL.</summary>
    public static bool HasCheck(string version) => Compare(version, "0.4.0") >= 0;

    /// <summary>GC and STATUS exist from 1.1.0 on.</summary>
    public static bool HasGcAndStatus(string version) => Compare(version, "1.1.0") >= 0;

    /// <summary>0.1.0 and 0.2.0 results are one <c>ip4</c> and one <c>ip6</c> object with their routes; no interfaces.</summary>
    public static bool HasLegacyResult(string version) => Compare(version, "0.3.0") < 0;

    /// <summary>0.3.x and 0.4.0 results name each IP's family in a "version" field; 1.x results do not.</summary>
    public static bool HasIpFamilyField(string version) => !HasLegacyResult(version) && Compare(version, "1.0.0") < 0;

    /// <summary>Interface mtu/socketPath/pciID and route mtu/advmss/priority/table/scope exist from 1.1.0 on.</summary>
    public static bool Has110ResultFields(string version) => Compare(version, "1.1.0") >= 0;

    public static int Compare(string left, string right)
    {
        var a = Parse(left);
        var b = Parse(right);
        for (var i = 0; i < 3; i++)
        {
            if (a[i] != b[i])
            {
                return a[i].CompareTo(b[i]);
            }
        }

        return 0;
    }

    private static int[] Parse(string version)
    {
        var parts = version.Split('.');
        var numbers = new int[3];
        for (var i = 0; i < 3 && i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, null, out numbers[i]))
            {
                throw new CniException(CniErrorCode.IncompatibleVersion, $"invalid cniVersion '{version}'");
            }
        }

        return numbers;
    }
}
