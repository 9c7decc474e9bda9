namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// A resource URL taken apart: <c>/api/v1/{resource}[/{name}]</c>,
/// <c>/api/v1/namespaces/{ns}/{resource}[/{name}]</c>, and the same under <c>/apis/{group}/{version}</c>.
/// </summary>
internal sealed record KubePath(KubeResource Resource, string? Namespace, string? Name)
{
    /// <summary>Null when the path names no resource the fake serves.</summary>
    public static KubePath? Parse(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        (string Group, string Version, string[] Tail) api = segments switch
        {
            ["api", var version, .. var tail] => ("", version, tail),
            ["apis", var group, var version, .. var tail] => (group, version, tail),
            _ => ("", "", []),
        };

        return api.Tail switch
        {
            [var plural] => Resolve(api.Group, api.Version, plural, null, null),
            ["namespaces", var ns, var plural] => Resolve(api.Group, api.Version, plural, ns, null),
            ["namespaces", var ns, var plural, var name] => Resolve(api.Group, api.Version, plural, ns, name),
            [var plural, var name] => Resolve(api.Group, api.Version, plural, null, name),
            _ => null,
        };
    }

    private static KubePath? Resolve(string group, string version, string plural, string? @namespace, string? name)
    {
        var resource = KubeResources.Find(group, version, plural);
        if (resource is null || (@namespace is not null && !resource.Namespaced) || (name is not null && @namespace is null && resource.Namespaced))
        {
            return null;
        }

        return new KubePath(resource, @namespace, name);
    }
}
