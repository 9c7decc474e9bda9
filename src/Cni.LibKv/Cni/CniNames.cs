namespace ContivKsr.Cni.Cni;

/// <summary>The spec's rules for container IDs, network names and interface names.</summary>
public static class CniNames
{
    /// <summary>Linux's IFNAMSIZ (16) less the terminating NUL.</summary>
    public const int MaxInterfaceNameLength = 15;

    /// <summary>Letters, digits, '_', '.', '-', starting with a letter or digit (spec: container ID and network name).</summary>
    public static bool IsValidContainerId(string value) => IsPlainName(value);

    public static bool IsValidNetworkName(string value) => IsPlainName(value);

    /// <summary>Null when <paramref name="name"/> is a usable Linux interface name, else why not.</summary>
    public static string? InterfaceNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (name.Length > MaxInterfaceNameLength)
        {
            return $"it is longer than {MaxInterfaceNameLength} characters";
        }

        if (name is "." or "..")
        {
            return "'.' and '..' are not interface names";
        }

        foreach (var c in name)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "it must not contain '/', ':' or white space";
            }
        }

        return null;
    }

    private static bool IsPlainName(string value)
    {
        if (value.Length == 0 || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '.' and not '-')
            {
                return false;
            }
        }

        return true;
    }
}
