using System.Text.Json.Serialization;

namespace ContivKsr.Cni.Cni;

/// <summary>
/// The ADD result of spec 0.1.0 and 0.2.0: at most one IPv4 and one IPv6 configuration, each with
/// its own routes, and DNS. There are no interfaces, so nothing says where an address lives.
/// </summary>
public sealed class CniLegacyResult
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; set; }

    [JsonPropertyName("ip4")]
    public CniLegacyIpConfig? Ip4 { get; set; }

    [JsonPropertyName("ip6")]
    public CniLegacyIpConfig? Ip6 { get; set; }

    [JsonPropertyName("dns")]
    public CniDns? Dns { get; set; }
}

public sealed class CniLegacyIpConfig
{
    /// <summary>Address with prefix length, e.g. "10.1.2.3/24".</summary>
    [JsonPropertyName("ip")]
    public string? Ip { get; set; }

    [JsonPropertyName("gateway")]
    public string? Gateway { get; set; }

    [JsonPropertyName("routes")]
    public List<CniLegacyRoute>? Routes { get; set; }
}

public sealed class CniLegacyRoute
{
    [JsonPropertyName("dst")]
    public string? Dst { get; set; }

    [JsonPropertyName("gw")]
    public string? Gw { get; set; }
}
