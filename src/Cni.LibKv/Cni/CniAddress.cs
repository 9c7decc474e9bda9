using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ContivKsr.Cni.Cni;

/// <summary>
/// The addresses in a result as libcni reads them (Go's <c>net.ParseIP</c>/<c>net.ParseCIDR</c>):
/// dotted-quad IPv4 or IPv6 without a zone, a prefix length in range. A result that libcni could not
/// decode is not converted either.
/// </summary>
internal static class CniAddress
{
    public const string V4 = "4";
    public const string V6 = "6";

    /// <summary>"4" or "6" for "address/prefix"; an IPv4-mapped IPv6 address counts as IPv4, as in Go.</summary>
    /// <exception cref="FormatException">Not an address with a prefix length.</exception>
    public static string FamilyOfPrefix(string? prefix, string where)
    {
        var slash = prefix?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0
            || ParseIp(prefix![..slash]) is not { } address
            || !int.TryParse(prefix.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length > (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
        {
            throw new FormatException($"{where} '{prefix}' is not an address with a prefix length");
        }

        return FamilyOf(address);
    }

    /// <exception cref="FormatException">Present but not an IP address.</exception>
    public static void CheckOptionalIp(string? ip, string where)
    {
        if (ip is not null && ParseIp(ip) is null)
        {
            throw new FormatException($"{where} '{ip}' is not an IP address");
        }
    }

    private static string FamilyOf(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6 ? V4 : V6;

    /// <summary>
    /// Stricter than <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>, which also takes
    /// inet_aton's forms ("10.1", "0x0a.0.0.1", octal "010.0.0.1") and IPv6 zones ("fe80::1%eth0"),
    /// all of which Go refuses.
    /// </summary>
    private static IPAddress? ParseIp(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return !text.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(text, out var v6) ? v6 : null;
        }

        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0')))
        {
            return null;
        }

        return IPAddress.TryParse(text, out var v4) ? v4 : null;
    }
}
