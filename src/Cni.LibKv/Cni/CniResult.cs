using System.Text.Json.Serialization;

namespace ContivKsr.Cni.Cni;

/// <summary>
/// The spec's ADD result, in one shape that holds every version from 0.3.0 to 1.1.0:
/// <see cref="CniIpConfig.Version"/> exists only before 1.0.0, and the 1.1.0 additions
/// (interface mtu/socketPath/pciID, route mtu/advmss/priority/table/scope) only from 1.1.0 on.
/// 0.1.0 and 0.2.0 results have their own shape, <see cref="CniLegacyResult"/>.
/// <see cref="CniResultConverter"/> moves a result between versions.
/// </summary>
public sealed class CniResult
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; set; }

    [JsonPropertyName("interfaces")]
    public List<CniInterface>? Interfaces { get; set; }

    [JsonPropertyName("ips")]
    public List<CniIpConfig>? Ips { get; set; }

    [JsonPropertyName("routes")]
    public List<CniRoute>? Routes { get; set; }

    [JsonPropertyName("dns")]
    public CniDns? Dns { get; set; }
}

public sealed class CniInterface
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("mac")]
    public string? Mac { get; set; }

    [JsonPropertyName("mtu")]
    public int? Mtu { get; set; }

    [JsonPropertyName("sandbox")]
    public string? Sandbox { get; set; }

    [JsonPropertyName("socketPath")]
    public string? SocketPath { get; set; }

    [JsonPropertyName("pciID")]
    public string? PciId { get; set; }
}

public sealed class CniIpConfig
{
    /// <summary>"4" or "6"; 0.3.x and 0.4.0 only.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }

    [JsonPropertyName("interface")]
    public int? Interface { get; set; }

    [JsonPropertyName("address")]
    public string? Address { get; set; }

    [JsonPropertyName("gateway")]
    public string? Gateway { get; set; }
}

public sealed class CniRoute
{
    [JsonPropertyName("dst")]
    public string? Dst { get; set; }

    [JsonPropertyName("gw")]
    public string? Gw { get; set; }

    [JsonPropertyName("mtu")]
    public int? Mtu { get; set; }

    [JsonPropertyName("advmss")]
    public int? AdvMss { get; set; }

    [JsonPropertyName("priority")]
    public int? Priority { get; set; }

    [JsonPropertyName("table")]
    public int? Table { get; set; }

    [JsonPropertyName("scope")]
    public int? Scope { get; set; }
}

public sealed class CniDns
{
    [JsonPropertyName("nameservers")]
    public List<string>? Nameservers { get; set; }

    [JsonPropertyName("domain")]
    public string? Domain { get; set; }

    [JsonPropertyName("search")]
    public List<string>? Search { get; set; }

    [JsonPropertyName("options")]
    public List<string>? Options { get; set; }
}

/// <summary>VERSION's answer.</summary>
public sealed record CniVersionInfo(
    [property: JsonPropertyName("cniVersion")] string CniVersion,
    [property: JsonPropertyName("supportedVersions")] IReadOnlyList<string> SupportedVersions);
