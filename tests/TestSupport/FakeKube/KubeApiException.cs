namespace ContivKsr.TestSupport.FakeKube;

/// <summary>A request the fake answers with a Kubernetes Status object (404 NotFound, 409 Conflict, 410 Expired...).</summary>
internal sealed class KubeApiException(int code, string reason, string message, KubeResource? resource = null, string? name = null)
    : Exception(message)
{
    public int Code { get; } = code;

    public string Reason { get; } = reason;

    public KubeResource? Resource { get; } = resource;

    public string? Name { get; } = name;

    public static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeApiException NotFound(KubeResource resource, string name) =>
        new(404, "NotFound", $"{resource.QualifiedName} \"{name}\" not found", resource, name);

    public static KubeApiException AlreadyExists(KubeResource resource, string name) =>
        new(409, "AlreadyExists", $"{resource.QualifiedName} \"{name}\" already exists", resource, name);

    public static KubeApiException Conflict(KubeResource resource, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", resource, name);

    public static KubeApiException Expired(string message) => new(410, "Expired", message);
}
