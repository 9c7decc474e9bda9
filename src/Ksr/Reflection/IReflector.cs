using ContivKsr.Ksr.Kinds;

namespace ContivKsr.Ksr.Reflection;

/// <summary>One reflected resource, as the daemon drives it.</summary>
public interface IReflector
{
    ResourceKind Kind { get; }

    /// <summary>Completes after the first full listing has reached the sync state.</summary>
    Task InitialListDone { get; }

    /// <summary>Lists and watches until cancelled; never ends on an API server outage, only retries.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
