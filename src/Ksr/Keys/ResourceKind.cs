namespace ContivKsr.Ksr.Keys;

/// <summary>The Kubernetes resources KSR reflects, each with its own key shape and model.</summary>
public enum ResourceKind
{
    Namespace,
    Pod,
    Policy,
    Service,
    Endpoints,
    Node,
}
