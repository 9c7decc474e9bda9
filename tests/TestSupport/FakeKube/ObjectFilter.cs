namespace ContivKsr.TestSupport.FakeKube;

/// <summary>What one list or watch request asks for: its resource, namespace (from a namespaced path) and selectors.</summary>
internal sealed class ObjectFilter(KubeResource resource, string? @namespace, LabelSelector labels, FieldSelector fields)
{
    public KubeResource Resource { get; } = resource;

    public string? Namespace { get; } = @namespace;

    public bool Matches(StoredObject obj) =>
        ReferenceEquals(obj.Resource, Resource)
        && (Namespace is null || obj.Namespace == Namespace)
        && labels.Matches(obj.Labels)
        && fields.Matches(obj);
}
