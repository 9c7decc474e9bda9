using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Reflection;
using ContivKsr.Ksr.Store;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Kinds;

/// <summary>A kind with its Kubernetes object and list types, the API calls that list and watch it, and its converter.</summary>
public sealed class ResourceKind<TObject, TList> : ResourceKind
    where TObject : IKubernetesObject<V1ObjectMeta>
    where TList : IItems<TObject>, IMetadata<V1ListMeta>
{
    internal ResourceKind(
        string name,
        string resource,
        ListCall<TList> list,
        WatchCall<TObject> watch,
        MessageDescriptor model,
        Func<TObject, IMessage> convert,
        KeyPlacement nested,
        KeyPlacement flat,
        IReadOnlyList<string>? mapsAlwaysWritten = null)
        : base(name, resource, model, nested, flat, mapsAlwaysWritten ?? [])
    {
        List = list;
        Watch = watch;
        Convert = convert;
    }

    public ListCall<TList> List { get; }

    public WatchCall<TObject> Watch { get; }

    /// <summary>Kubernetes object to model message.</summary>
    public Func<TObject, IMessage> Convert { get; }

    public override IReflector CreateReflector(IKubernetes client, SyncState state, KeyLayout layout, ValueCodec codec, ReflectorStats stats, ILogger logger, ReflectorOptions options) =>
        new Reflector<TObject, TList>(this, client, state, layout, codec, stats, logger, options);
}
