namespace ContivKsr.Cni.Cni;

/// <summary>The spec versions this plugin speaks, and the facts about them that change behaviour.</summary>
public static class CniVersion
{
    public const string Latest = "1.1.0";

    /// <summary>
    /// 0.1.0 and 0.2.0 are left out on purpose: their result shape (ip4/ip6) predates interfaces, and
    /// a meta-plugin that returns several interfaces cannot express itself in it.
    /// </summary>
    public static IReadOnlyList<string> Supported { get; } = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    public static bool IsSupported(string? version) => version is not null && Supported.Contains(version);

    /// <summary>CHECK exists from 0.4.0 on, as does a prevResult in DEL.</summary>
    public static bool HasCheck(string version) => Compare(version, "0.4.0") >= 0;

    /// <summary>GC and STATUS exist from 1.1.0 on.</summary>
    public static bool HasGcAndStatus(string version) => Compare(version, "1.1.0") >= 0;

    /// <summary>0.3.x and 0.4.0 results carry an IP "version" field; 1.x results do not.</summary>
    public static bool IsPre100(string version) => Compare(version, "1.0.0") < 0;

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
