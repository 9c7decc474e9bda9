namespace ContivKsr.Cni.Cni;

/// <summary>
/// The rules for moving a parsed result between versions, as libcni's converters (pkg/types/020,
/// 040, 100) apply them:
/// <list type="bullet">
/// <item>up from 0.1.0/0.2.0: <c>ip4</c> then <c>ip6</c> become <c>ips</c> (no interface index, as
/// nothing says which interface), their routes the top-level <c>routes</c>, ip4's first;</item>
/// <item>down to 0.1.0/0.2.0: the first address of each family is kept, the others cannot be
/// expressed; each route goes with the address of its destination's family, and is dropped when
/// there is none; interfaces and interface indexes go; a result with no address at all cannot be
/// expressed;</item>
/// <item>0.3.x and 0.4.0 name each address's family (<c>version</c>), 1.x do not;</item>
/// <item>below 1.1.0, the 1.1.0 fields (interface mtu/socketPath/pciID, route
/// mtu/advmss/priority/table/scope) are dropped.</item>
/// </list>
/// Empty lists and an empty <c>dns</c> are left out. Addresses are checked as libcni decodes them.
/// </summary>
internal static class CniResultShapes
{
    /// <exception cref="FormatException">An address libcni could not decode.</exception>
    public static CniResult FromLegacy(CniLegacyResult legacy)
    {
        Check(legacy);
        var result = new CniResult { CniVersion = legacy.CniVersion, Ips = [], Routes = [], Dns = legacy.Dns };
        foreach (var (config, family) in new[] { (legacy.Ip4, CniAddress.V4), (legacy.Ip6, CniAddress.V6) })
        {
            if (config is not null)
            {
                result.Ips.Add(new CniIpConfig { Version = family, Address = config.Ip, Gateway = config.Gateway });
                result.Routes.AddRange((config.Routes ?? []).Select(r => new CniRoute { Dst = r.Dst, Gw = r.Gw }));
            }
        }

        return result;
    }

    /// <summary>0.1.0 to 0.2.0 or back: the shape is the same (libcni copies ip4, ip6 and dns).</summary>
    /// <exception cref="FormatException">An address libcni could not decode.</exception>
    public static void Relabel(CniLegacyResult legacy, string targetVersion)
    {
        Check(legacy);
        legacy.CniVersion = targetVersion;
        foreach (var config in new[] { legacy.Ip4, legacy.Ip6 })
        {
            if (config is not null)
            {
                config.Routes = NullIfEmpty(config.Routes);
            }
        }

        legacy.Dns = WithoutEmpty(legacy.Dns);
    }

    private static void Check(CniLegacyResult legacy)
    {
        foreach (var (config, name) in new[] { (legacy.Ip4, "ip4"), (legacy.Ip6, "ip6") })
        {
            if (config is null)
            {
                continue;
            }

            CniAddress.FamilyOfPrefix(config.Ip, $"{name}.ip");
            CniAddress.CheckOptionalIp(config.Gateway, $"{name}.gateway");
            foreach (var route in config.Routes ?? [])
            {
                CniAddress.FamilyOfPrefix(route.Dst, $"{name}.routes[].dst");
                CniAddress.CheckOptionalIp(route.Gw, $"{name}.routes[].gw");
            }
        }
    }

    /// <param name="sourceVersion">The version <paramref name="result"/> is in (0.3.0 or later).</param>
    /// <returns>Null when the result has no address, which 0.1.0/0.2.0 cannot express.</returns>
    /// <exception cref="FormatException">An address libcni could not decode.</exception>
    public static CniLegacyResult? ToLegacy(CniResult result, string sourceVersion, string targetVersion)
    {
        var legacy = new CniLegacyResult { CniVersion = targetVersion, Dns = result.Dns };
        var ips = result.Ips ?? [];
        for (var i = 0; i < ips.Count; i++)
        {
            var ip = ips[i];
            var family = FamilyOf(ip, sourceVersion, $"ips[{i}].address");
            CniAddress.CheckOptionalIp(ip.Gateway, $"ips[{i}].gateway");
            var config = new CniLegacyIpConfig { Ip = ip.Address, Gateway = ip.Gateway, Routes = [] };
            if (family == CniAddress.V4)
            {
                legacy.Ip4 ??= config;
            }
            else
            {
                legacy.Ip6 ??= config;
            }
        }

        if (legacy.Ip4 is null && legacy.Ip6 is null)
        {
            return null;
        }

        var routes = result.Routes ?? [];
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            var family = CniAddress.FamilyOfPrefix(route.Dst, $"routes[{i}].dst");
            CniAddress.CheckOptionalIp(route.Gw, $"routes[{i}].gw");
            (family == CniAddress.V4 ? legacy.Ip4 : legacy.Ip6)?.Routes!.Add(new CniLegacyRoute { Dst = route.Dst, Gw = route.Gw });
        }

        foreach (var config in new[] { legacy.Ip4, legacy.Ip6 })
        {
            if (config is { Routes.Count: 0 })
            {
                config.Routes = null;
            }
        }

        legacy.Dns = WithoutEmpty(legacy.Dns);
        return legacy;
    }

    /// <summary>Reshapes a 0.3.0-or-later result in place from one such version to another.</summary>
    /// <exception cref="FormatException">An address libcni could not decode.</exception>
    public static void Reshape(CniResult result, string sourceVersion, string targetVersion)
    {
        result.CniVersion = targetVersion;
        var ips = result.Ips ?? [];
        for (var i = 0; i < ips.Count; i++)
        {
            var ip = ips[i];
            var family = FamilyOf(ip, sourceVersion, $"ips[{i}].address");
            CniAddress.CheckOptionalIp(ip.Gateway, $"ips[{i}].gateway");
            ip.Version = CniVersion.HasIpFamilyField(targetVersion) ? family : null;
        }

        var routes = result.Routes ?? [];
        for (var i = 0; i < routes.Count; i++)
        {
            CniAddress.FamilyOfPrefix(routes[i].Dst, $"routes[{i}].dst");
            CniAddress.CheckOptionalIp(routes[i].Gw, $"routes[{i}].gw");
        }

        if (!CniVersion.Has110ResultFields(targetVersion))
        {
            Drop110Fields(result);
        }

        result.Interfaces = NullIfEmpty(result.Interfaces);
        result.Ips = NullIfEmpty(result.Ips);
        result.Routes = NullIfEmpty(result.Routes);
        result.Dns = WithoutEmpty(result.Dns);
    }

    /// <summary>
    /// An address's family: the one its 0.3.x/0.4.0 result names (libcni trusts that field), else
    /// its address's. A 0.3.x/0.4.0 result that leaves the field out (the loopback plugin's does)
    /// is read by its address rather than losing the address.
    /// </summary>
    private static string FamilyOf(CniIpConfig ip, string sourceVersion, string where)
    {
        var family = CniAddress.FamilyOfPrefix(ip.Address, where);
        return CniVersion.HasIpFamilyField(sourceVersion) && ip.Version is CniAddress.V4 or CniAddress.V6 ? ip.Version : family;
    }

    private static void Drop110Fields(CniResult result)
    {
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

    private static List<T>? NullIfEmpty<T>(List<T>? list) => list is { Count: > 0 } ? list : null;

    private static CniDns? WithoutEmpty(CniDns? dns)
    {
        if (dns is null)
        {
            return null;
        }

        dns.Nameservers = NullIfEmpty(dns.Nameservers);
        dns.Search = NullIfEmpty(dns.Search);
        dns.Options = NullIfEmpty(dns.Options);
        return dns.Nameservers is null && string.IsNullOrEmpty(dns.Domain) && dns.Search is null && dns.Options is null ? null : dns;
    }
}
