using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Reflection;
using ContivKsr.Ksr.Store;
using Google.Protobuf.Reflection;
using k8s;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Kinds;

/// <summary>
/// One Kubernetes resource KSR reflects, as everything else reads it: the reflector (API calls,
/// converter), the key layout (segment, where the key goes in each layout), --resources and the
/// statistics (<see cref="Name"/>), the REST log API (<see cref="LoggerName"/>) and the value codec
/// (<see cref="Model"/>, <see cref="MapsAlwaysWritten"/>). The instances are the table in
/// <c>ResourceKindTable.cs</c>; each is its own singleton, so kinds compare by reference.
/// </summary>
public abstract partial class ResourceKind
{
    private protected ResourceKind(string name, string resource, MessageDescriptor model, KeyPlacement nested, KeyPlacement flat, IReadOnlyList<string> mapsAlwaysWritten)
    {
        if ((nested == KeyPlacement.Cluster) != (flat == KeyPlacement.Cluster))
        {
            throw new ArgumentException($"{name}: a kind is cluster-scoped in both layouts or in neither", nameof(flat));
        }

        Name = name;
        Resource = resource;
        Model = model;
        Nested = nested;
        Flat = flat;
        MapsAlwaysWritten = [.. mapsAlwaysWritten.Select(field => model.FindFieldByName(field)?.FullName
            ?? throw new ArgumentException($"{model.FullName} has no field '{field}'", nameof(mapsAlwaysWritten)))];
    }

    /// <summary>The short name: a value of --resources, the statistics' and metrics' label, the key segment ("pod").</summary>
    public string Name { get; }

    /// <summary>The API resource ("pods"), as RBAC rules name it.</summary>
    public string Resource { get; }

    /// <summary>The reflector's logger, tunable over REST: "ksr-" + name, as the Go KSR named them.</summary>
    public string LoggerName => "ksr-" + Name;

    /// <summary>The path component naming the kind in its keys.</summary>
    public string KeySegment => Name;

    /// <summary>contiv's model message of the kind's values.</summary>
    public MessageDescriptor Model { get; }

    /// <summary>False for cluster-scoped kinds (namespaces, nodes), whose keys hold no namespace.</summary>
    public bool Namespaced => Nested != KeyPlacement.Cluster;

    /// <summary>Where the key goes in the seed's layout.</summary>
    public KeyPlacement Nested { get; }

    /// <summary>Where the key goes in the later Go KSR's layout.</summary>
    public KeyPlacement Flat { get; }

    /// <summary>
    /// Map fields (full names, e.g. <c>pod.Pod.annotations</c>) the Go KSR's converter always
    /// allocated, so that its jsonpb writer wrote them as <c>{}</c> even when empty.
    /// </summary>
    public IReadOnlyList<string> MapsAlwaysWritten { get; }

    public KeyPlacement PlacementIn(KeyLayoutKind layout) => layout == KeyLayoutKind.Nested ? Nested : Flat;

    /// <summary>A reflector that lists and watches this kind into <paramref name="state"/>.</summary>
    public abstract IReflector CreateReflector(IKubernetes client, SyncState state, KeyLayout layout, ValueCodec codec, ReflectorStats stats, ILogger logger, ReflectorOptions options);

    public override string ToString() => Name;
}
