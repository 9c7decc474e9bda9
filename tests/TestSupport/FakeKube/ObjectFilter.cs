namespace ContivKsr.TestSupport.FakeKube;

/// <summary>
/// What one list or watch request asks for: its resource, namespace (from a namespaced path),
/// selectors, and a name for the deprecated watch of one object by its own URL.
/// </summary>
internal sealed class ObjectFilter(KubeResource resource, string? @namespace, LabelSelector labels, FieldSelector fields, string? name = null)
{
    public KubeResource Resource { get; } = resource;

    public string? Namespace { get; } = @namespace;

    public bool Matches(StoredObject obj) =>
        ReferenceEquals(obj.Resource, Resource)
        && (Namespace is null || obj.Namespace == Namespace)
        && (name is null || obj.Name == name)
        && labels.Matches(obj.Labels)
        && fields.Matches(obj);
}
